package dev.dnsgate.rules.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsgate.rules.RuleFileException;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.whatif.OfflineRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each lint finding, with a rule file that triggers it and a near miss that must not. */
class RuleLintTest {

  @TempDir Path dir;

  private String file;

  private List<String> warnings(String yaml) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(rules, yaml);
    file = rules.toString();
    return offline(false).load(dir).warnings();
  }

  private OfflineRules offline(boolean strict) {
    return new OfflineRules(new ListSources(dir.resolve("cache"), Duration.ofDays(1)), Set.of("default", "corp"), strict);
  }

  private String at(int line, String message) {
    return file + ":" + line + ": warning: " + message;
  }

  private String rule(String name, int line) {
    return "'" + name + "' (" + file + ":" + line + ")";
  }

  @Test
  void blockRuleUnderAnEarlierSuffixIsShadowed() throws Exception {
    List<String> found = warnings("""
        rules:
          - name: whole-domain
            match: { suffix: example.com }
            action: block
          - name: one-host
            match: { name: ads.example.com, types: [A] }
            action: block
        """);

    assertEquals(List.of(at(5, "block rule 'one-host' can never match: every query it matches is taken first by "
        + rule("whole-domain", 2))), found);
  }

  @Test
  void narrowerRuleFirstIsNotShadowed() throws Exception {
    assertEquals(List.of(), warnings("""
        rules:
          - name: one-host
            match: { name: ads.example.com }
            action: block
          - name: whole-domain
            match: { suffix: example.com }
            action: block
          - name: a-only
            match: { suffix: other.example, types: [A] }
            action: block
          - name: all-types
            match: { suffix: other.example }
            action: block
        """));
  }

  @Test
  void namesTakenByTwoEarlierRulesTogetherAreShadowed() throws Exception {
    List<String> found = warnings("""
        rules:
          - name: x
            match: { name: x.test }
            action: forward
            upstream: corp
          - name: below-y
            match: { wildcard: "*.y.test" }
            action: forward
            upstream: corp
          - name: both
            match: { name: [x.test, a.y.test], suffix: test }
            action: forward
            upstream: default
        """);

    assertEquals(List.of(at(10, "forward rule 'both' can never match: every query it matches is taken first by "
        + rule("x", 2) + ", " + rule("below-y", 6))), found);
  }

  @Test
  void clientsAndListsDecideShadowing() throws Exception {
    Files.writeString(dir.resolve("ads.txt"), "ads.test\n");
    List<String> found = warnings("""
        rules:
          - name: office
            match: { suffix: corp.test, clients: [10.0.0.0/8] }
            action: block
          - name: one-office-net
            match: { suffix: x.corp.test, clients: [10.1.0.0/16] }
            action: block
          - name: other-net
            match: { suffix: x.corp.test, clients: [192.168.0.0/16] }
            action: block
          - name: list
            match: { list: ads.txt }
            action: block
          - name: below-listed
            match: { wildcard: "*.www.ads.test" }
            action: block
          - name: beside-listed
            match: { name: xads.test }
            action: block
        """);

    assertEquals(List.of(
        at(5, "block rule 'one-office-net' can never match: every query it matches is taken first by " + rule("office", 2)),
        at(14, "block rule 'below-listed' can never match: every query it matches is taken first by " + rule("list", 11))),
        found);
  }

  @Test
  void listEntriesInTwoListsAreCounted() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "one.test\ntwo.test\nthree.test\n");
    Files.writeString(dir.resolve("b.txt"), "||two.test^\n0.0.0.0 three.test\nfour.test\n*.one.test\n");
    Files.writeString(dir.resolve("c.txt"), "five.test\n");
    List<String> found = warnings("""
        rules:
          - name: a
            match: { list: a.txt }
            action: block
          - name: b
            match: { list: [b.txt, c.txt] }
            action: block
        """);

    assertEquals(List.of(at(5, "2 of the 4 entries of list 'b.txt' (rule 'b') are also in list 'a.txt' of rule "
        + rule("a", 2))), found);
  }

  @Test
  void allowRuleWithNothingToAllowIsReported() throws Exception {
    List<String> found = warnings("""
        rules:
          - name: idle
            match: { name: good.test }
            action: allow
          - name: useful
            match: { name: good.ads.test }
            action: allow
          - name: ads
            match: { suffix: ads.test }
            action: block
        """);

    assertEquals(List.of(at(2, "allow rule 'idle' matches no query that a block rule matches (block rules: "
        + rule("ads", 8) + ")")), found);
  }

  @Test
  void allowRuleWithoutBlockRulesIsReported() throws Exception {
    List<String> found = warnings("""
        rules:
          - name: lonely
            match: { name: good.test }
            action: allow
        """);

    assertEquals(List.of(at(2, "allow rule 'lonely' has nothing to allow: there is no block rule")), found);
  }

  @Test
  void nestedLocalZonesOverlapButViewsForOtherClientsDoNot() throws Exception {
    List<String> found = warnings("""
        rules:
          - name: corp
            match: { clients: [10.0.0.0/8] }
            action: local
            zone: corp.test
            records: ["www 60 IN A 10.0.0.1"]
          - name: corp-outside-view
            match: { clients: [192.168.0.0/16] }
            action: local
            zone: corp.test
            records: ["www 60 IN A 192.168.0.1"]
          - name: lab
            action: local
            zone: lab.corp.test
            records: ["x 60 IN A 10.9.0.1"]
          - name: hosts
            action: local
            records: ["printer.corp.test. 60 IN A 10.0.0.9", "nas.home.test. 60 IN A 10.0.0.10"]
        """);

    assertEquals(List.of(
        at(12, "local rule 'lab' overlaps local rule " + rule("corp", 2)
            + ": zone lab.corp.test. and zone corp.test. are nested or equal; the earlier rule answers for those names"),
        at(12, "local rule 'lab' overlaps local rule " + rule("corp-outside-view", 7)
            + ": zone lab.corp.test. and zone corp.test. are nested or equal; the earlier rule answers for those names"),
        at(16, "local rule 'hosts' overlaps local rule " + rule("corp", 2)
            + ": both answer for printer.corp.test.; the earlier rule answers for those names"),
        at(16, "local rule 'hosts' overlaps local rule " + rule("corp-outside-view", 7)
            + ": both answer for printer.corp.test.; the earlier rule answers for those names")),
        found);
  }

  @Test
  void nestedRepeatsInRegexesAreReported() throws Exception {
    List<String> found = warnings("""
        rules:
          - name: evil
            match: { regex: '^(a+)+\\.example$' }
            action: block
          - name: labels
            match: { regex: '^([a-z0-9-]+\\.)+example$' }
            action: block
          - name: plain
            match: { regex: '^ad[0-9]+\\.example$' }
            action: block
          - name: evil-rewrite
            action: rewrite
            regex: '^((x|y)*)*\\.old\\.test$'
            to: new.test
        """);

    assertEquals(List.of(
        at(2, "rule 'evil': regex '^(a+)+\\.example$' repeats a group that holds a repeat ((a+)+),"
            + " which can backtrack catastrophically on a long name; repeat one or the other, not both"),
        at(11, "rule 'evil-rewrite': regex '^((x|y)*)*\\.old\\.test$' repeats a group that holds a repeat"
            + " (((x|y)*)*), which can backtrack catastrophically on a long name; repeat one or the other, not both")),
        found);
  }

  @Test
  void strictLintTurnsTheFirstWarningIntoALoadError() throws Exception {
    Files.writeString(dir.resolve("rules.yaml"), """
        rules:
          - name: all
            action: block
          - name: some
            match: { name: x.test }
            action: block
        """);
    file = dir.resolve("rules.yaml").toString();

    RuleFileException e = assertThrows(RuleFileException.class, () -> offline(true).load(dir));

    assertEquals(file + ":4: warning: block rule 'some' can never match: every query it matches is taken first by "
        + rule("all", 2) + " (an error with dnsgate.rules.lint.strict)", e.getMessage());
  }

  @Test
  void nestedRepeatFinderReadsClassesAndEscapes() {
    assertEquals("(x*y?)*", BacktrackingRegexes.nestedRepeat("^(x*y?)*$"));
    assertEquals("(\\w+\\d*){2,}", BacktrackingRegexes.nestedRepeat("(\\w+\\d*){2,}z"));
    assertEquals(null, BacktrackingRegexes.nestedRepeat("^[(a+)]+$"));
    assertEquals(null, BacktrackingRegexes.nestedRepeat("^\\(a+\\)+$"));
    assertEquals(null, BacktrackingRegexes.nestedRepeat("^(ab)+(c+)$"));
  }
}
