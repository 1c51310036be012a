package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.local.LocalData;
import dev.dnsgate.rules.match.Criteria;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * Local rules that answer for the same names: nested or equal zones, or records of one rule inside
 * another's zone or at another's names. The earlier rule answers and the later one is never asked for
 * those names. Rules whose types or clients cannot meet (two views of one zone for different
 * networks) do not overlap.
 */
final class ZoneOverlaps {

  private ZoneOverlaps() {}

  static void check(List<Rule> locals, List<LintFinding> findings) {
    for (int j = 1; j < locals.size(); j++) {
      for (int i = 0; i < j; i++) {
        String overlap = overlap(locals.get(i), locals.get(j));
        if (overlap != null) {
          Rule later = locals.get(j);
          findings.add(new LintFinding(later.source(), "local rule '" + later.name() + "' overlaps local rule "
              + LintFinding.describe(locals.get(i)) + ": " + overlap + "; the earlier rule answers for those names"));
        }
      }
    }
  }

  /** What the two rules share, or null when nothing (or they can never see the same query). */
  private static String overlap(Rule earlier, Rule later) {
    if (!(earlier.action() instanceof LocalData a) || !(later.action() instanceof LocalData b)) {
      return null;
    }
    Criteria ca = RuleLint.criteria(earlier);
    Criteria cb = RuleLint.criteria(later);
    if (Coverage.disjoint(List.of(NameAtom.EVERY_NAME), ca, cb)) {
      return null;
    }
    if (a.apex() != null && b.apex() != null) {
      boolean nested = a.apex().subdomain(b.apex()) || b.apex().subdomain(a.apex());
      return nested ? "zone " + b.apex() + " and zone " + a.apex() + " are nested or equal" : null;
    }
    Name shared = a.apex() != null ? firstUnder(b, a.apex()) : b.apex() != null ? firstUnder(a, b.apex()) : firstShared(a, b);
    return shared == null ? null : "both answer for " + shared;
  }

  private static Name firstUnder(LocalData data, Name apex) {
    return data.owners().stream().filter(n -> n.subdomain(apex)).sorted().findFirst().orElse(null);
  }

  private static Name firstShared(LocalData a, LocalData b) {
    return a.owners().stream().filter(b.owners()::contains).sorted().findFirst().orElse(null);
  }
}
