package dev.dnsgate.rules.testcases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.whatif.OfflineRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test cases are judged strictly: a case that states nothing, or states it wrongly, fails. */
class RuleTestCasesRunTest {

  @TempDir Path dir;

  private List<RuleTestCases.Result> run(String tests) throws Exception {
    Files.writeString(dir.resolve("rules.yaml"), """
        rules:
          - name: ads
            match: { name: ads.example }
            action: block
        """);
    Files.createDirectories(dir.resolve("tests"));
    Files.writeString(dir.resolve("tests/cases.yaml"), tests);
    RuleSet rules = new OfflineRules(new ListSources(dir.resolve("cache"), Duration.ofDays(1)), Set.of("default"), false)
        .load(dir);
    return RuleTestCases.run(rules, RuleTestCases.read(dir));
  }

  @Test
  void emptyExpectFails() throws Exception {
    List<RuleTestCases.Result> results = run("""
        tests:
          - name: says nothing
            query: { name: ads.example }
            expect: {}
        """);

    assertEquals(1, results.size());
    assertTrue(results.get(0).problems().get(0).startsWith("'expect:' names no expectation"), results.toString());
  }

  @Test
  void unknownExpectKeyFails() throws Exception {
    List<RuleTestCases.Result> results = run("""
        tests:
          - name: typo
            query: { name: ads.example }
            expect: { acton: block }
        """);

    assertEquals(List.of("unknown expect keys [acton] (keys: [action, answers, ede, group, owner, rcode, rule])"),
        results.get(0).problems());
  }

  @Test
  void rightExpectationPassesAndWrongOneSaysWhat() throws Exception {
    List<RuleTestCases.Result> results = run("""
        tests:
          - name: blocked
            query: { name: ads.example, type: AAAA }
            expect: { action: block, rule: ads, rcode: NXDOMAIN, ede: 15 }
          - name: wrongly expected
            query: { name: www.example }
            expect: { action: block }
        """);

    assertTrue(results.get(0).passed(), results.get(0).problems().toString());
    assertTrue(results.get(1).problems().get(0).startsWith("action: expected block, got forward"),
        results.get(1).problems().toString());
  }
}
