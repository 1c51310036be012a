package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.tls.TlsProvider;
import dev.dnsgate.testing.TestFiles;
import dev.dnsgate.testing.TlsClients;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SSLOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Both TLS providers of the listeners (BoringSSL and the JDK's SSLEngine) serve the configured
 * certificate to a verifying client over TLS 1.3 and read the server name it asked for.
 */
class ServerTlsProvidersTest {

  private static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void close() {
    VERTX.close();
  }

  @Test
  void openSslServesTheCertificateAndReadsTheServerName() throws Exception {
    assumeTrue(OpenSsl.isAvailable(), "BoringSSL's native library loads on Linux x86-64 only");
    String session = handshake(TlsProvider.OPENSSL);
    assertTrue(session.contains("OpenSsl"), session);
  }

  @Test
  void theJdkServesTheCertificateAndReadsTheServerName() throws Exception {
    String session = handshake(TlsProvider.JDK);
    assertTrue(!session.contains("OpenSsl"), session);
  }

  /** One verified handshake asking for laptop.dns.test; returns the class of the server's TLS session. */
  private static String handshake(TlsProvider provider) throws Exception {
    try (ServerTls tls = ServerTls.start(VERTX, config(provider), "test", 5000)) {
      SSLOptions ssl = tls.options();
      NetServerOptions options = new NetServerOptions().setSsl(true).setSslEngineOptions(tls.engine())
          .setKeyCertOptions(ssl.getKeyCertOptions())
          .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols());
      CompletableFuture<String> seen = new CompletableFuture<>();
      NetServer server = VERTX.createNetServer(options).connectHandler(socket -> {
        seen.complete(ServerTls.requestedServerName(socket.sslSession()) + " " + socket.sslSession().getClass().getName());
        socket.close();
      });
      server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      try (TlsClients.DotSession client = TlsClients.dot(server.actualPort(), "laptop.dns.test")) {
        assertEquals("TLSv1.3", client.protocol());
        assertEquals("CN=dns.test", client.peerCertificate().getSubjectX500Principal().getName());
        String[] nameAndSession = seen.get(10, TimeUnit.SECONDS).split(" ");
        assertEquals("laptop.dns.test", nameAndSession[0]);
        return nameAndSession[1];
      } finally {
        server.close();
      }
    }
  }

  private static DnsgateConfig.Listen.Tls config(TlsProvider provider) {
    return new DnsgateConfig.Listen.Tls() {
      public Optional<String> certFile() { return Optional.of(TestFiles.tls("dns.test.pem")); }
      public Optional<String> keyFile() { return Optional.of(TestFiles.tls("dns.test.key")); }
      public Duration reloadInterval() { return Duration.ofHours(1); }
      public Optional<String> serverName() { return Optional.of("dns.test"); }
      public TlsProvider provider() { return provider; }
    };
  }
}
