package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.match.Criteria;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Rules that can never decide because earlier rules of the same phase already take every query they
 * could match. Only in the allow, block and forward phases, where a matching rule always acts; a
 * rewrite or local rule may match and still decline, so an earlier one does not hide a later one.
 *
 * <p>Decided exactly: each value of the later rule's name, suffix or wildcard key ({@code *.x}) against
 * each earlier rule's name, suffix, wildcard, regex and list keys, with types and clients. Each value
 * must be covered by one earlier rule (two earlier rules that only together cover one suffix are not
 * seen). A list is covered only by lists holding each of its entries as an entry (not merely a parent
 * entry), and only by lists without exceptions. Skipped (never reported): a later rule whose only
 * name key is a regex, unless an earlier rule matches every name.
 */
final class Shadowing {

  static final Set<Phase> PHASES = Set.of(Phase.ALLOW, Phase.BLOCK, Phase.FORWARD);

  private Shadowing() {}

  static void check(List<Rule> rules, List<LintFinding> findings) {
    for (int j = 1; j < rules.size(); j++) {
      Rule later = rules.get(j);
      List<Rule> takers = takers(later, rules.subList(0, j));
      if (takers != null) {
        String by = takers.stream().map(LintFinding::describe).collect(Collectors.joining(", "));
        findings.add(new LintFinding(later.source(), later.kind() + " rule '" + later.name()
            + "' can never match: every query it matches is taken first by " + by));
      }
    }
  }

  /** The earlier rules (in rule order) that together take every query {@code later} matches, or null if not proven. */
  private static List<Rule> takers(Rule later, List<Rule> earlier) {
    Criteria b = RuleLint.criteria(later);
    for (List<NameAtom> reading : NameAtom.readingsOrEveryName(b)) {
      Set<Rule> takers = new TreeSet<>(Comparator.comparingInt(earlier::indexOf));
      boolean all = true;
      for (NameAtom atom : reading) {
        Rule taker = earlier.stream().filter(a -> Coverage.covers(RuleLint.criteria(a), atom, b)).findFirst().orElse(null);
        if (taker == null) {
          all = false;
          break;
        }
        takers.add(taker);
      }
      if (all) {
        return new ArrayList<>(takers);
      }
    }
    return null;
  }
}
