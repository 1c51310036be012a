package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.tls.TlsProvider;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.SSLOptions;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/**
 * The TLS side of the DoT and DoH listeners: TLS 1.2 and 1.3 only, the certificate from
 * {@code dnsgate.listen.tls.*}, and its renewal. The files are polled for changes (certificates are
 * renewed every 60-90 days, by tools that replace the files); a changed pair that passes every check
 * of {@link ServerCertificate} replaces the old one for new handshakes ({@link RenewableKeyManager}),
 * while connections already open keep theirs. A pair that fails is one error line, and the old
 * certificate keeps serving. The server name a client asked for (SNI) is read from its TLS session.
 * The TLS itself is BoringSSL (netty-tcnative) by default, which answered ~45 % more dot-hit and
 * doh-hit queries than the JDK's SSLEngine (BENCHMARKS.md); the JDK's stays the fallback where the
 * native library cannot load, or when chosen.
 */
final class ServerTls implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ServerTls.class);
  static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  private final Vertx vertx;
  private final Path certFile;
  private final Path keyFile;
  private final long handshakeTimeoutMillis;
  private final RenewableKeyManager keys;
  private final SSLEngineOptions engine;
  private final ScheduledExecutorService watcher;
  /** Fingerprint of the files last looked at, good or bad: a broken pair is reported once, not every poll. */
  private volatile String seen;

  private ServerTls(Vertx vertx, Path certFile, Path keyFile, ServerCertificate first, long handshakeTimeoutMillis,
      long reloadMillis, SSLEngineOptions engine) {
    this.vertx = vertx;
    this.engine = engine;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.keys = new RenewableKeyManager(first.keyManager());
    this.seen = first.fingerprint();
    this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dnsgate-tls-reload");
      t.setDaemon(true);
      return t;
    });
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, reloadMillis, reloadMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Loads the certificate for a listener that needs one; {@code who} names the key that enabled it,
   * for the error line when no certificate is configured or it cannot be used.
   */
  static ServerTls start(Vertx vertx, DnsgateConfig.Listen.Tls config, String who, long handshakeTimeoutMillis) {
    if (config.certFile().isEmpty() || config.keyFile().isEmpty()) {
      throw failure(who + " is on but dnsgate.listen.tls.cert-file and dnsgate.listen.tls.key-file are not both set");
    }
    Path cert = Path.of(config.certFile().get());
    Path key = Path.of(config.keyFile().get());
    ServerCertificate first;
    try {
      first = ServerCertificate.load(vertx, cert, key);
    } catch (ServerCertificate.Problem e) {
      throw failure("TLS certificate (dnsgate.listen.tls.cert-file / key-file): " + e.getMessage());
    }
    SSLEngineOptions engine = config.provider().engine("dnsgate.listen.tls.provider");
    LOG.infof("TLS certificate %s from %s (TLS by %s)", first, cert, TlsProvider.describe(engine));
    return new ServerTls(vertx, cert, key, first, handshakeTimeoutMillis, Math.max(1, config.reloadInterval().toMillis()),
        engine);
  }

  private static ListenerBindException failure(String line) {
    LOG.error(line);
    return new ListenerBindException(line);
  }

  /** Which TLS implementation the servers use (OpenSSL or the JDK's). */
  SSLEngineOptions engine() {
    return engine;
  }

  /** The TLS options of a server: protocols, handshake timeout, and the certificate as it is renewed. */
  SSLOptions options() {
    return new SSLOptions()
        .setKeyCertOptions(KeyCertOptions.wrap(keys))
        .setEnabledSecureTransportProtocols(PROTOCOLS)
        .setSslHandshakeTimeout(handshakeTimeoutMillis)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The first host name the client asked for in its TLS handshake (SNI), or null. */
  static String requestedServerName(SSLSession session) {
    if (session instanceof ExtendedSSLSession extended) {
      for (SNIServerName name : extended.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }

  /** Checks the files now; true when a new certificate was taken. Also run by the watcher thread. */
  boolean reloadIfChanged() {
    String fingerprint;
    try {
      fingerprint = ServerCertificate.fingerprint(certFile, keyFile);
    } catch (ServerCertificate.Problem e) {
      fingerprint = e.getMessage(); // a missing file is reported once, like a broken one
    }
    if (fingerprint.equals(seen)) {
      return false;
    }
    seen = fingerprint;
    try {
      ServerCertificate next = ServerCertificate.load(vertx, certFile, keyFile);
      keys.use(next.keyManager());
      LOG.infof("TLS certificate reloaded: %s", next);
      return true;
    } catch (ServerCertificate.Problem e) {
      LOG.errorf("TLS certificate not reloaded, the previous one keeps serving: %s", e.getMessage());
    } catch (RuntimeException e) {
      LOG.errorf(e, "TLS certificate not reloaded, the previous one keeps serving");
    }
    return false;
  }

  @Override
  public void close() {
    watcher.shutdownNow();
  }
}
