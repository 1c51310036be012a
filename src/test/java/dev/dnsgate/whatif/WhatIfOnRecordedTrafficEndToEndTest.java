package dev.dnsgate.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * The query log the server really writes replays: queries through the real listeners (local, blocked,
 * rewritten, forwarded to two groups), then the what-if on that log with an edited copy of the rules.
 */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(WhatIfOnRecordedTrafficEndToEndTest.Recording.class)
class WhatIfOnRecordedTrafficEndToEndTest {

  static final Path LOG = Path.of("target", "whatif-e2e-query-log.jsonl");

  public static class Recording implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Files.deleteIfExists(LOG);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of("dnsgate.query-log.enabled", "true", "dnsgate.query-log.target", LOG.toString());
    }
  }

  @Inject DnsListeners listeners;
  @TempDir Path dir;

  @Test
  void aRecordedDayReplaysThroughAnEditedCopyOfTheRules() throws Exception {
    DnsClient client = new DnsClient(listeners.port());
    for (String name : List.of("www.internal.test.", "www.internal.test.", "ads.e2e.test.", "x.tracker.e2e.test.",
        "alias.e2e.test.", "www.corp.e2e.test.", "plain.e2e.test.")) {
      client.udp(DnsClient.query(name, Type.A));
    }
    Eventually.await("7 queries logged", () -> lines() == 7, 5000);
    Path candidate = Files.createDirectories(dir.resolve("candidate"));
    Files.writeString(candidate.resolve("ads.txt"), "0.0.0.0 ads.e2e.test\n");
    Files.writeString(candidate.resolve("e2e.yaml"), """
        rules:
          - name: internal-view
            match:
              suffix: internal.test
              clients: [127.0.0.1]
            action: local
            zone: internal.test
            records:
              - "www 60 IN A 10.9.9.8"
          - name: ads
            match:
              list: ads.txt
            action: block
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int status = WhatIfCommand.run(List.of("--current", "src/test/rules", "--candidate", candidate.toString(),
        "--log", LOG.toString(), "--groups", "corp", "--fail-on", "no-longer-local,newly-blocked", "--json", "-"),
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

    assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
    JsonObject report = new JsonObject(out.toString(StandardCharsets.UTF_8));
    assertEquals(7, report.getJsonObject("input").getLong("replayed"));
    assertEquals(0, report.getJsonObject("input").getLong("malformed"));
    Map<String, Long> changed = new TreeMap<>();
    report.getJsonObject("kinds").forEach(e -> {
      long queries = ((JsonObject) e.getValue()).getLong("queries");
      if (queries > 0) {
        changed.put(e.getKey(), queries);
      }
    });
    assertEquals(Map.of("local-changed", 2L, "unblocked", 1L, "rewrite-changed", 1L, "forward-group", 1L), changed);
  }

  private static long lines() {
    try {
      return Files.exists(LOG) ? Files.readAllLines(LOG).size() : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
