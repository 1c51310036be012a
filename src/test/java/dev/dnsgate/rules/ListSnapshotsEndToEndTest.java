package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The running server with list snapshots on (the default outside tests): a list of over 1 MiB is
 * snapshotted at start-up, and a reload reads it back from the snapshot and still blocks.
 */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(ListSnapshotsEndToEndTest.WithSnapshots.class)
class ListSnapshotsEndToEndTest {

  /** Under the temp folder (sticky, root's): a place the snapshots' trust checks accept. */
  static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "dnsgate-snapshots-e2e-" + ProcessHandle.current().pid());

  public static class WithSnapshots implements QuarkusTestProfile {
    /** Quarkus asks more than once: the same folder and files each time. */
    @Override
    public Map<String, String> getConfigOverrides() {
      Path work = WORK;
      try {
        Files.createDirectories(work);
        StringBuilder list = new StringBuilder();
        for (int i = 0; list.length() < 1_100_000; i++) {
          list.append("0.0.0.0 ad").append(i).append(".snap.e2e.test\n");
        }
        Files.writeString(work.resolve("big.list"), list);
        Path rules = Files.createDirectories(work.resolve("rules"));
        Files.writeString(rules.resolve("rules.yaml"),
            "rules:\n  - name: big\n    match:\n      list: " + work.resolve("big.list") + "\n    action: block\n");
        return Map.of("dnsgate.rules.dir", rules.toString(), "dnsgate.rules.list-snapshots", "true",
            "dnsgate.rules.list-cache-dir", work.resolve("cache").toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @AfterAll
  static void removeFolder() throws IOException {
    ConfigMapReloadTest.deleteTree(WORK);
  }

  @Inject DnsListeners listeners;
  @Inject LiveRules rules;

  private int blockedCode(String name) throws IOException {
    Message query = DnsClient.query(name, Type.A);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    Message response = new DnsClient(listeners.port()).udp(query);
    assertEquals(Rcode.NXDOMAIN, response.getRcode(), name);
    List<EDNSOption> ede = response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    return ((ExtendedErrorCodeOption) ede.get(0)).getErrorCode();
  }

  private Path snapshot() throws IOException {
    try (var files = Files.list(WORK.resolve("cache").resolve("snapshots"))) {
      List<Path> snapshots = files.filter(f -> f.toString().endsWith(".snapshot")).toList();
      assertEquals(1, snapshots.size(), snapshots.toString());
      return snapshots.get(0);
    }
  }

  @Test
  void aBigListIsSnapshottedAtStartAndAReloadReadsItBack() throws Exception {
    DotUpstreamsResource.resetAll();
    assertEquals(ExtendedErrorCodeOption.BLOCKED, blockedCode("ad7.snap.e2e.test."));
    Path snapshot = snapshot();
    Instant old = Instant.now().minus(Duration.ofDays(2));
    Files.setLastModifiedTime(snapshot, FileTime.from(old));

    assertTrue(rules.reload());

    assertTrue(Files.getLastModifiedTime(snapshot).toInstant().isAfter(old), "the reload read the snapshot");
    assertEquals(ExtendedErrorCodeOption.BLOCKED, blockedCode("x.ad30000.snap.e2e.test."));
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "blocked queries are not forwarded");
  }
}
