package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.match.BlockList;
import dev.dnsgate.rules.match.Criteria;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * A set of names one value of a {@code match:} key stands for, in a form the lint can compare: one
 * name, a name and everything below it, everything strictly below a name, or a block list's entries.
 * For a wildcard with {@code *} inside a label the atom is wider than the wildcard (everything below
 * its fixed part): safe for "is it covered", as a wider set covered is a narrower one covered.
 */
sealed interface NameAtom {

  record Exact(Name name) implements NameAtom {}

  record Subtree(Name apex) implements NameAtom {}

  record Below(Name apex) implements NameAtom {}

  record Listed(BlockList list, String source) implements NameAtom {}

  NameAtom EVERY_NAME = new Subtree(Name.root);

  /**
   * The ways to read {@code criteria}'s names as atoms, one per name key that can be read so (regex
   * cannot): the names it matches lie within each of them. A rule without name keys matches every name.
   */
  static List<List<NameAtom>> readings(Criteria criteria) {
    List<List<NameAtom>> readings = new ArrayList<>();
    if (!criteria.restrictsNames()) {
      readings.add(List.of(EVERY_NAME));
      return readings;
    }
    if (criteria.names() != null) {
      readings.add(criteria.names().stream().sorted().<NameAtom>map(Exact::new).toList());
    }
    if (criteria.suffixes() != null) {
      readings.add(criteria.suffixes().stream().<NameAtom>map(Subtree::new).toList());
    }
    if (criteria.wildcards() != null) {
      readings.add(criteria.wildcards().stream().map(NameAtom::ofWildcard).toList());
    }
    if (criteria.lists() != null) {
      List<NameAtom> lists = new ArrayList<>();
      for (int i = 0; i < criteria.lists().size(); i++) {
        lists.add(new Listed(criteria.lists().get(i), criteria.listSources().get(i)));
      }
      readings.add(lists);
    }
    return readings;
  }

  /** As {@link #readings}, with "every name" for a rule whose only name key is a regex (an over-estimate). */
  static List<List<NameAtom>> readingsOrEveryName(Criteria criteria) {
    List<List<NameAtom>> readings = readings(criteria);
    if (readings.isEmpty()) {
      readings.add(List.of(EVERY_NAME));
    }
    return readings;
  }

  /** {@code *.x} is everything below x; any other wildcard, everything below the part after its last '*'. */
  static NameAtom ofWildcard(String wildcard) {
    String fixed = wildcard.substring(wildcard.lastIndexOf('*') + 1);
    int dot = fixed.indexOf('.');
    String apex = dot < 0 ? "" : fixed.substring(dot + 1);
    return new Below(Name.fromConstantString(apex + "."));
  }

  /** A pure {@code *.x} wildcard as an atom, or null for a wildcard with '*' inside a label. */
  static Below pureWildcard(String wildcard) {
    if (!wildcard.startsWith("*.") || wildcard.indexOf('*', 1) >= 0) {
      return null;
    }
    return new Below(Name.fromConstantString(wildcard.substring(2) + "."));
  }

  static boolean strictlyUnder(Name name, Name apex) {
    return name.subdomain(apex) && !name.equals(apex);
  }
}
