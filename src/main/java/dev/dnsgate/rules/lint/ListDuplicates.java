package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.match.BlockList;
import dev.dnsgate.rules.match.Criteria;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries that two lists both hold (the same name in the same form), reported once per pair of lists
 * at the later one. Lists are held as hashes, so the count is given, not the names.
 */
final class ListDuplicates {

  private record Use(Rule rule, String source, BlockList list) {}

  private ListDuplicates() {}

  static void check(List<Rule> rules, List<LintFinding> findings) {
    List<Use> uses = new ArrayList<>();
    for (Rule rule : rules) {
      Criteria c = RuleLint.criteria(rule);
      for (int i = 0; c.lists() != null && i < c.lists().size(); i++) {
        uses.add(new Use(rule, c.listSources().get(i), c.lists().get(i)));
      }
    }
    for (int j = 1; j < uses.size(); j++) {
      for (int i = 0; i < j; i++) {
        Use earlier = uses.get(i);
        Use later = uses.get(j);
        long shared = later.list().sharedEntries(earlier.list());
        if (shared > 0) {
          findings.add(new LintFinding(later.rule().source(), shared + " of the " + later.list().entries()
              + " entries of list '" + later.source() + "' (rule '" + later.rule().name() + "') are also in list '"
              + earlier.source() + "' of rule " + LintFinding.describe(earlier.rule())));
        }
      }
    }
  }
}
