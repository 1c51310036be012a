package dev.dnsgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * Like {@link DotUpstreamsResource}, applied to every Quarkus test (one application for all of them,
 * so meters and ports stay those of one run): the DoT and DoH listeners on free
 * ports, presenting dns.test (with *.dns.test, for client names) from copies of the test files in a
 * temporary folder, so that a test can renew the certificate by replacing them.
 */
public class EncryptedListenersResource implements QuarkusTestResourceLifecycleManager {

  public static Path certFile;
  public static Path keyFile;
  private Path dir;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    try {
      dir = Files.createTempDirectory("dnsgate-listener-tls");
      certFile = dir.resolve("server.pem");
      keyFile = dir.resolve("server.key");
      installCertificate("dns.test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.put("dnsgate.listen.dot.enabled", "true");
    config.put("dnsgate.listen.dot.port", "0");
    config.put("dnsgate.listen.doh.enabled", "true");
    config.put("dnsgate.listen.doh.port", "0");
    config.put("dnsgate.listen.tls.cert-file", certFile.toString());
    config.put("dnsgate.listen.tls.key-file", keyFile.toString());
    config.put("dnsgate.listen.tls.server-name", "dns.test");
    config.put("dnsgate.listen.tls.reload-interval", "100ms");
    return config;
  }

  /**
   * Puts the certificate and key of {@code stem} (under tls/) in place the way renewal tools do: each
   * file written aside and moved over the old one, so a reader sees the old file or the new one.
   */
  public static void installCertificate(String stem) throws IOException {
    replace(Path.of(TestFiles.tls(stem + ".pem")), certFile);
    replace(Path.of(TestFiles.tls(stem + ".key")), keyFile);
  }

  /** Replaces the certificate file with {@code bytes} (a broken renewal). */
  public static void writeCertificate(byte[] bytes) throws IOException {
    Path tmp = certFile.resolveSibling("server.pem.tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void replace(Path from, Path to) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void stop() {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
