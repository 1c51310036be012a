package dev.dnsgate.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded log with known content, replayed through a current and a candidate folder that differ
 * in one way per kind of change: every count is known in advance.
 */
class WhatIfCommandTest {

  @TempDir Path dir;
  Path current;
  Path candidate;
  Path log;
  String out;
  String err;

  @BeforeEach
  void folders() throws Exception {
    current = Files.createDirectories(dir.resolve("current"));
    candidate = Files.createDirectories(dir.resolve("candidate"));
    Files.writeString(current.resolve("rules.yaml"), """
        rules:
          - name: rename
            action: rewrite
            exact: old.test
            to: new.test
          - name: ads
            match: { suffix: ads.test }
            action: block
          - name: tracker
            match: { suffix: tracker.test }
            action: block
            response: sinkhole
          - name: corp
            action: local
            zone: corp.test
            records: ["www 60 IN A 10.0.0.1"]
          - name: home
            action: local
            records: ["nas.home.test. 60 IN A 10.0.0.10"]
          - name: lab
            match: { suffix: lab.test }
            action: forward
            upstream: corp
        """);
    Files.writeString(candidate.resolve("rules.yaml"), """
        rules:
          - name: rename
            action: rewrite
            exact: old.test
            to: newer.test
          - name: allow-cdn
            match: { name: cdn.ads.test }
            action: allow
          - name: ads
            match: { suffix: ads.test }
            action: block
          - name: social
            match: { suffix: social.test }
            action: block
          - name: tracker
            match: { suffix: tracker.test }
            action: block
            response: nxdomain
          - name: corp
            action: local
            zone: corp.test
            records: ["www 60 IN A 10.0.0.2"]
          - name: printer
            action: local
            records: ["printer.home.test. 60 IN A 10.0.0.9"]
        """);
    Files.createDirectories(candidate.resolve("tests"));
    Files.writeString(candidate.resolve("tests/cases.yaml"), """
        tests:
          - name: social is blocked
            query: { name: x.social.test }
            expect: { action: block, rule: social }
        """);
    List<String> lines = new ArrayList<>();
    add(lines, 2, "old.test.", "A", "10.0.0.1", "10.0.0.2");
    add(lines, 3, "x.social.test.", "A", "10.0.0.3");
    add(lines, 1, "social.test.", "AAAA", "10.0.0.3");
    add(lines, 1, "cdn.ads.test.", "A", "10.0.0.4");
    add(lines, 2, "t.tracker.test.", "A", "10.0.0.5");
    add(lines, 1, "www.corp.test.", "A", "10.0.0.6");
    add(lines, 1, "printer.home.test.", "A", "10.0.0.7");
    add(lines, 1, "nas.home.test.", "A", "10.0.0.8");
    add(lines, 2, "h.lab.test.", "A", "10.0.0.9");
    add(lines, 5, "www.example.test.", "A", "10.0.0.1");
    add(lines, 2, "a.ads.test.", "A", "10.0.0.1");
    lines.add(3, "garbage");
    lines.add(5, "{\"name\": 5, \"type\": \"A\"}");
    lines.add(7, "{\"name\": \"x.test.\", \"type\": \"NOPE\"}");
    lines.add(9, "");
    lines.add("{\"time\":");
    lines.add(line("203.0.113.1", "www.example.test.", "A").replace("\"upstream\"", "\"refused\""));
    log = dir.resolve("queries.log");
    Files.write(log, lines);
  }

  private static void add(List<String> lines, int times, String name, String type, String... clients) {
    for (int i = 0; i < times; i++) {
      lines.add(line(clients[i % clients.length], name, type));
    }
  }

  private static String line(String client, String name, String type) {
    return new JsonObject().put("time", "2026-11-29T10:00:00Z").put("client", client).put("name", name)
        .put("type", type).put("source", "upstream").put("detail", "default").put("rcode", "NOERROR")
        .put("latency_ms", 1.5).encode();
  }

  private int run(String... extra) {
    List<String> args = new ArrayList<>(List.of("--current", current.toString(), "--candidate", candidate.toString(),
        "--log", log.toString(), "--groups", "corp"));
    args.addAll(List.of(extra));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int status = WhatIfCommand.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    out = stdout.toString(StandardCharsets.UTF_8);
    err = stderr.toString(StandardCharsets.UTF_8);
    return status;
  }

  @Test
  void eachKindOfChangeIsCountedExactly() {
    assertEquals(0, run("--json", "-"), err);
    JsonObject report = new JsonObject(out);

    JsonObject input = report.getJsonObject("input");
    assertEquals(26, input.getLong("lines"));
    assertEquals(4, input.getLong("malformed"));
    assertEquals(1, input.getLong("answered_before_rules"));
    assertEquals(21, input.getLong("replayed"));
    assertEquals(11, input.getLong("evaluated"));
    assertEquals(14, report.getLong("changed"));
    Map<String, Long> queries = new TreeMap<>();
    Map<String, Integer> names = new TreeMap<>();
    report.getJsonObject("kinds").forEach(e -> {
      queries.put(e.getKey(), ((JsonObject) e.getValue()).getLong("queries"));
      names.put(e.getKey(), ((JsonObject) e.getValue()).getInteger("names"));
    });
    assertEquals(Map.of("newly-blocked", 4L, "unblocked", 1L, "now-local", 1L, "no-longer-local", 1L,
        "local-changed", 1L, "rewrite-changed", 2L, "forward-group", 2L, "block-response", 2L), queries);
    assertEquals(2, names.get("newly-blocked"));
    JsonObject top = report.getJsonObject("kinds").getJsonObject("newly-blocked").getJsonArray("top").getJsonObject(0);
    assertEquals(new JsonObject().put("name", "x.social.test.").put("queries", 3).put("before", "forward to default")
        .put("after", "block social: NXDOMAIN EDE 15").put("clients", new JsonArray().add("10.0.0.3")), top);
    JsonObject rewritten = report.getJsonObject("kinds").getJsonObject("rewrite-changed").getJsonArray("top").getJsonObject(0);
    assertEquals("forward to default as new.test. A (rewrite rename)", rewritten.getString("before"));
    assertEquals("forward to default as newer.test. A (rewrite rename)", rewritten.getString("after"));
    assertEquals(new JsonArray().add("10.0.0.1").add("10.0.0.2"), rewritten.getJsonArray("clients"));
    assertEquals("local corp: NOERROR A 10.0.0.2", report.getJsonObject("kinds").getJsonObject("local-changed")
        .getJsonArray("top").getJsonObject(0).getString("after"));
    assertEquals(queries.values().stream().mapToLong(Long::longValue).sum(), report.getLong("changed"));
  }

  @Test
  void malformedLinesAreSkippedCountedAndShown() {
    assertEquals(0, run());

    assertTrue(out.startsWith("replayed 21 queries from " + log + " (26 lines: 4 malformed, skipped; 1 answered before the rules)\n"
        + "  malformed: " + log + ":4: not a JSON object\n"
        + "  malformed: " + log + ":6: no \"name\"\n"
        + "  malformed: " + log + ":8: \"type\" is not a DNS type: NOPE\n"
        + "  malformed: " + log + ":26: not a JSON object\n"), out);
    assertTrue(out.contains("changed: 14 of 21 queries (66.67 %)\n"), out);
    assertTrue(out.contains("rule tests (" + candidate + "/tests): 1 passed, 0 failed\n"), out);
    assertTrue(out.endsWith("\nresult: pass\n"), out);
  }

  @Test
  void failOnNamedKindsFailsWithTheirCounts() {
    assertEquals(1, run("--fail-on", "unblocked,forward-group"));

    assertTrue(out.endsWith("result: FAIL\n  1 queries unblocked (--fail-on unblocked)\n"
        + "  2 queries forward-group (--fail-on forward-group)\n"), out);
  }

  @Test
  void failOnPassesWhenNoQueryChangesThatWay() throws Exception {
    Files.write(log, List.of(line("10.0.0.1", "www.example.test.", "A"), line("10.0.0.1", "a.ads.test.", "A")));

    assertEquals(0, run("--fail-on", "any"), out);
    assertTrue(out.contains("changed: 0 of 2 queries (0.00 %)\n"), out);
  }

  @Test
  void failAboveComparesTheChangedShare() {
    assertEquals(1, run("--fail-above", "50%"));
    assertTrue(out.endsWith("result: FAIL\n  66.67 % of the queries changed, more than 50.0 % (--fail-above)\n"), out);

    assertEquals(0, run("--fail-above", "70"));
  }

  @Test
  void failingCandidateTestCaseFails() throws Exception {
    Files.writeString(candidate.resolve("tests/cases.yaml"), """
        tests:
          - name: tracker still sinkholed
            query: { name: t.tracker.test }
            expect: { rcode: NOERROR }
        """);

    assertEquals(1, run());
    assertTrue(out.contains("  FAILED " + candidate.resolve("tests/cases.yaml")
        + ": tracker still sinkholed: rcode: expected NOERROR, got NXDOMAIN\n"), out);
    assertTrue(out.endsWith("result: FAIL\n  1 rule test cases failed\n"), out);
  }

  @Test
  void candidateThatDoesNotLoadStopsWithItsLine() throws Exception {
    Files.writeString(candidate.resolve("rules.yaml"), "rules:\n  - name: x\n    action: blok\n");

    assertEquals(2, run());
    assertEquals("what-if: " + candidate.resolve("rules.yaml")
        + ":3: unknown action 'blok' (known: allow, block, forward, local, rewrite)\n", err);
  }

  @Test
  void missingCandidateFolderIsAUsageErrorNotAnEmptyRuleSet() {
    candidate = dir.resolve("no-such-folder");

    assertEquals(2, run());
    assertTrue(err.startsWith("what-if: no rules folder " + candidate + "\n"), err);
  }

  @Test
  void unknownKindIsAUsageError() {
    assertEquals(2, run("--fail-on", "blocked"));
    assertTrue(err.startsWith("what-if: unknown kind of change 'blocked' (known: newly-blocked, unblocked, "), err);
  }
}
