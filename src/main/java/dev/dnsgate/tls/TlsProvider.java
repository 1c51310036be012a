package dev.dnsgate.tls;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import org.jboss.logging.Logger;

/**
 * Who does the TLS: {@code openssl} (BoringSSL from netty-tcnative, measured faster and with less
 * garbage than the JDK's on both the listeners and the upstream connections, BENCHMARKS.md) or
 * {@code jdk}. OpenSSL falls back to the JDK's, with a warning naming the setting, where its library
 * cannot load.
 */
public enum TlsProvider {
  OPENSSL,
  JDK;

  private static final Logger LOG = Logger.getLogger(TlsProvider.class);

  /**
   * The engine to configure Vert.x with.
   *
   * @param setting the configuration key that chose this provider, named in the fallback's log line
   */
  public SSLEngineOptions engine(String setting) {
    if (this == OPENSSL) {
      if (OpenSSLEngineOptions.isAvailable()) {
        return new OpenSSLEngineOptions();
      }
      LOG.warnf("%s is openssl but its native library cannot load here (%s): using the JDK's TLS", setting,
          OpenSsl.unavailabilityCause());
    }
    return new JdkSSLEngineOptions();
  }

  /** How a log line names the implementation behind {@code engine}. */
  public static String describe(SSLEngineOptions engine) {
    return engine instanceof OpenSSLEngineOptions ? "OpenSSL/BoringSSL" : "the JDK";
  }
}
