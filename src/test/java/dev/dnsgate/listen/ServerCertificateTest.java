package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.tls.TlsProvider;
import dev.dnsgate.testing.TestFiles;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a certificate must pass before the DoT/DoH listeners serve it, and the one line when it does not. */
class ServerCertificateTest {

  private static final Vertx VERTX = Vertx.vertx();

  @AfterAll
  static void close() {
    VERTX.close();
  }

  private static Path tls(String file) {
    return Path.of(TestFiles.tls(file));
  }

  private static String problem(Path cert, Path key) {
    return assertThrows(ServerCertificate.Problem.class, () -> ServerCertificate.load(VERTX, cert, key)).getMessage();
  }

  @Test
  void matchingChainAndKeyLoad() throws Exception {
    ServerCertificate cert = ServerCertificate.load(VERTX, tls("dns.test.pem"), tls("dns.test.key"));
    assertEquals("CN=dns.test", cert.leaf().getSubjectX500Principal().getName());
  }

  @Test
  void keyOfAnotherCertificateIsRefusedNamingBothFiles() {
    String line = problem(tls("dns.test.pem"), tls("wrong.test.key"));
    assertTrue(line.contains("wrong.test.key") && line.contains("does not belong") && line.contains("dns.test.pem"), line);
  }

  @Test
  void expiredCertificateIsRefused() {
    String line = problem(tls("expired-dot.test.pem"), tls("expired-dot.test.key"));
    assertTrue(line.contains("not valid now"), line);
  }

  @Test
  void missingAndGarbageFilesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    assertTrue(problem(dir.resolve("none.pem"), tls("dns.test.key")).contains("cannot read cert-file"));
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    assertTrue(problem(garbage, tls("dns.test.key")).startsWith(garbage.toString()));
    Path keyGarbage = Files.writeString(dir.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertTrue(problem(tls("dns.test.pem"), keyGarbage).startsWith(keyGarbage.toString()));
  }

  @Test
  void enablingAListenerWithoutACertificateIsOneLineNamingTheKeys() {
    DnsgateConfig.Listen.Tls none = new DnsgateConfig.Listen.Tls() {
      public Optional<String> certFile() { return Optional.empty(); }
      public Optional<String> keyFile() { return Optional.empty(); }
      public Duration reloadInterval() { return Duration.ofSeconds(10); }
      public Optional<String> serverName() { return Optional.empty(); }
      public TlsProvider provider() { return TlsProvider.OPENSSL; }
    };
    String line = assertThrows(ListenerBindException.class,
        () -> ServerTls.start(VERTX, none, "dnsgate.listen.dot.enabled", 1000)).getMessage();
    assertTrue(line.contains("dnsgate.listen.dot.enabled") && line.contains("dnsgate.listen.tls.cert-file"), line);
  }
}
