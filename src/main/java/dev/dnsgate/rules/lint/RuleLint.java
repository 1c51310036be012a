package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.match.Criteria;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Runs every lint check over a loaded rule set; findings come in file and line order. */
public final class RuleLint {

  private RuleLint() {}

  public static List<LintFinding> check(RuleSet rules) {
    List<LintFinding> findings = new ArrayList<>();
    for (Phase phase : Shadowing.PHASES) {
      Shadowing.check(rules.byPhase().get(phase), findings);
    }
    List<Rule> all = rules.all();
    ListDuplicates.check(all, findings);
    IdleAllows.check(rules.byPhase().get(Phase.ALLOW), rules.byPhase().get(Phase.BLOCK), findings);
    ZoneOverlaps.check(rules.byPhase().get(Phase.ANSWER), findings);
    BacktrackingRegexes.check(all, findings);
    findings.sort(Comparator.comparing(RuleLint::file).thenComparingInt(RuleLint::line));
    return findings;
  }

  private static String file(LintFinding finding) {
    return finding.where().substring(0, finding.where().lastIndexOf(':'));
  }

  private static int line(LintFinding finding) {
    return Integer.parseInt(finding.where().substring(finding.where().lastIndexOf(':') + 1));
  }

  /** A rule's match block; a rule without one matches everything. */
  static Criteria criteria(Rule rule) {
    return rule.matcher() instanceof Criteria c ? c : Criteria.EVERYTHING;
  }
}
