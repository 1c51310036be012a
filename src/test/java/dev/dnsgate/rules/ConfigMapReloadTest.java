package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * A rules folder laid out as Kubernetes mounts a ConfigMap: rules.yaml -> ..data/rules.yaml, and
 * ..data -> ..2026_v1. An update writes a new timestamped folder and swaps the ..data symlink
 * atomically; the files themselves are never written. The reload must notice.
 */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(ConfigMapReloadTest.ConfigMapMount.class)
class ConfigMapReloadTest {

  static final Path MOUNT = Path.of("target", "configmap-mount").toAbsolutePath();

  public static class ConfigMapMount implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        deleteTree(MOUNT);
        Files.createDirectories(MOUNT);
        publish("..2026_v1", "10.0.0.1");
        Files.createSymbolicLink(MOUNT.resolve("rules.yaml"), Path.of("..data", "rules.yaml"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of("dnsgate.rules.dir", MOUNT.toString(), "dnsgate.rules.reload-interval", "50ms");
    }
  }

  /** Writes a version folder and points ..data at it with an atomic rename of a new symlink. */
  static void publish(String version, String address) throws IOException {
    Path dir = Files.createDirectories(MOUNT.resolve(version));
    Files.writeString(dir.resolve("rules.yaml"),
        "rules:\n  - name: cm\n    action: local\n    records: [\"cm.test. 60 IN A " + address + "\"]\n");
    Path temp = MOUNT.resolve("..data_tmp");
    Files.deleteIfExists(temp);
    Files.createSymbolicLink(temp, Path.of(version));
    Files.move(temp, MOUNT.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Inject DnsListeners listeners;

  private String answer() {
    try {
      return ((ARecord) DnsClient.firstAnswer(new DnsClient(listeners.port()).udp(DnsClient.query("cm.test.", Type.A))))
          .getAddress().getHostAddress();
    } catch (Exception e) {
      return null;
    }
  }

  @Test
  void swappingTheDataSymlinkReloadsTheRules() throws Exception {
    assertEquals("10.0.0.1", answer());

    publish("..2026_v2", "10.0.0.2");

    Eventually.await("the swapped ConfigMap is served", () -> "10.0.0.2".equals(answer()), 5000);
  }
}
