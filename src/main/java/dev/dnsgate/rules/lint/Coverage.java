package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.match.Cidr;
import dev.dnsgate.rules.match.Criteria;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * Set relations between what two rules can match: "does A match every query B's atom stands for"
 * (for shadowed rules) and "can they match a query in common" (for allow rules with nothing to
 * allow). Answers err on the quiet side: "covered" and "disjoint" are said only when proven.
 */
final class Coverage {

  private Coverage() {}

  /** Whether {@code a} matches every query whose name is in {@code atom} and whose type and client {@code b} accepts. */
  static boolean covers(Criteria a, NameAtom atom, Criteria b) {
    // client names are patterns over what clients say: covered only when A does not look at them
    return typesWithin(b.types(), a.types()) && clientsWithin(b.clients(), a.clients()) && a.clientNames() == null
        && namesWithin(atom, a);
  }

  /** Whether no query can match both {@code a} (read as {@code atoms}) and {@code b}. */
  static boolean disjoint(List<NameAtom> atoms, Criteria a, Criteria b) {
    if (a.types() != null && b.types() != null && a.types().stream().noneMatch(b.types()::contains)) {
      return true;
    }
    if (a.clients() != null && b.clients() != null && !clientsMeet(a.clients(), b.clients())) {
      return true;
    }
    return atoms.stream().allMatch(atom -> namesDisjoint(atom, b));
  }

  private static boolean typesWithin(Set<Integer> inner, Set<Integer> outer) {
    return outer == null || (inner != null && outer.containsAll(inner));
  }

  private static boolean clientsWithin(List<Cidr> inner, List<Cidr> outer) {
    return outer == null
        || (inner != null && inner.stream().allMatch(i -> outer.stream().anyMatch(o -> contains(o, i))));
  }

  private static boolean clientsMeet(List<Cidr> a, List<Cidr> b) {
    return a.stream().anyMatch(x -> b.stream().anyMatch(y -> contains(x, y) || contains(y, x)));
  }

  /** Whether network {@code outer} holds all of network {@code inner}. */
  static boolean contains(Cidr outer, Cidr inner) {
    if (outer.network().length != inner.network().length || outer.prefix() > inner.prefix()) {
      return false;
    }
    try {
      return outer.contains(InetAddress.getByAddress(inner.network()));
    } catch (UnknownHostException e) {
      return false; // cannot happen: the bytes came from an address
    }
  }

  /** Whether every name of {@code atom} passes every name key of {@code a}. */
  private static boolean namesWithin(NameAtom atom, Criteria a) {
    if (atom instanceof NameAtom.Exact exact) {
      return a.matchesName(exact.name());
    }
    if (!a.restrictsNames()) {
      return true;
    }
    if (a.names() != null || a.regexes() != null) {
      return false; // a finite set or a regex never provably holds a whole subtree or list
    }
    if (atom instanceof NameAtom.Listed listed) {
      return a.suffixes() == null && a.wildcards() == null && listed.list().entriesWithin(a.lists());
    }
    Name apex = atom instanceof NameAtom.Subtree s ? s.apex() : ((NameAtom.Below) atom).apex();
    boolean withApex = atom instanceof NameAtom.Subtree;
    return (a.suffixes() == null || a.suffixes().stream().anyMatch(apex::subdomain))
        && (a.wildcards() == null || a.wildcards().stream().anyMatch(w -> wildcardHolds(w, apex, withApex)))
        && (a.lists() == null || a.lists().stream().anyMatch(l -> l.coversSubtree(apex, withApex)));
  }

  private static boolean wildcardHolds(String wildcard, Name apex, boolean withApex) {
    NameAtom.Below below = NameAtom.pureWildcard(wildcard);
    return below != null && (withApex ? NameAtom.strictlyUnder(apex, below.apex()) : apex.subdomain(below.apex()));
  }

  /** Whether no name of {@code atom} passes {@code b}'s name keys (proven; unknown counts as "may meet"). */
  private static boolean namesDisjoint(NameAtom atom, Criteria b) {
    if (atom instanceof NameAtom.Exact exact) {
      return !b.matchesName(exact.name());
    }
    if (atom instanceof NameAtom.Listed) {
      return false;
    }
    Name apex = atom instanceof NameAtom.Subtree s ? s.apex() : ((NameAtom.Below) atom).apex();
    boolean withApex = atom instanceof NameAtom.Subtree;
    if (b.names() != null && b.names().stream().noneMatch(n -> withApex ? n.subdomain(apex) : NameAtom.strictlyUnder(n, apex))) {
      return true;
    }
    if (b.suffixes() != null && b.suffixes().stream().noneMatch(t -> regionsMeet(apex, t))) {
      return true;
    }
    return b.wildcards() != null && b.wildcards().stream().allMatch(w -> {
      NameAtom.Below below = NameAtom.pureWildcard(w);
      return below != null && !regionsMeet(apex, below.apex());
    });
  }

  /** Whether the names at or below {@code s} meet those at or below {@code t}: only if one is under the other. */
  private static boolean regionsMeet(Name s, Name t) {
    return s.subdomain(t) || t.subdomain(s);
  }
}
