package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.match.Criteria;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Allow rules that can let nothing through, because no block rule matches any query they match.
 * Proven only from names, suffixes and {@code *.x} wildcards of the allow rule against the block
 * rules' names, suffixes and wildcards (and exactly for allowed names, against every key), or from
 * disjoint types or clients; an allow rule read through a list or a regex is never reported.
 */
final class IdleAllows {

  private IdleAllows() {}

  static void check(List<Rule> allows, List<Rule> blocks, List<LintFinding> findings) {
    for (Rule allow : allows) {
      if (blocks.isEmpty()) {
        findings.add(new LintFinding(allow.source(), "allow rule '" + allow.name() + "' has nothing to allow: there is no block rule"));
        continue;
      }
      Criteria a = RuleLint.criteria(allow);
      boolean idle = NameAtom.readingsOrEveryName(a).stream()
          .anyMatch(reading -> blocks.stream().allMatch(b -> Coverage.disjoint(reading, a, RuleLint.criteria(b))));
      if (idle) {
        String names = blocks.stream().map(LintFinding::describe).collect(Collectors.joining(", "));
        findings.add(new LintFinding(allow.source(), "allow rule '" + allow.name()
            + "' matches no query that a block rule matches (block rules: " + names + ")"));
      }
    }
  }
}
