package dev.dnsgate.rules.match;

import java.util.ArrayList;
import java.util.List;

/**
 * Domains a list names, each covering itself and everything below it (as Blocky and AdGuard treat
 * list entries), or only what is below it ({@code *.example}). Lookup cost depends on the number of
 * labels in the query name, not on the size of the list.
 */
public final class DomainSet {

  private final LongHashSet withSubdomains;
  private final LongHashSet belowOnly;

  public DomainSet() {
    this(new LongHashSet(), new LongHashSet());
  }

  DomainSet(LongHashSet withSubdomains, LongHashSet belowOnly) {
    this.withSubdomains = withSubdomains;
    this.belowOnly = belowOnly;
  }

  /** Its two tables, in the order the constructor takes them. */
  LongHashSet[] tables() {
    return new LongHashSet[] {withSubdomains, belowOnly};
  }

  /** @param domain lower-case text, optionally starting with "*." for subdomains only */
  public void add(String domain) {
    if (domain.startsWith("*.")) {
      belowOnly.add(LabelHash.ofText(domain.substring(2)));
    } else {
      withSubdomains.add(LabelHash.ofText(domain));
    }
  }

  void addAll(DomainSet other) {
    withSubdomains.addAll(other.withSubdomains);
    belowOnly.addAll(other.belowOnly);
  }

  boolean contains(long[] suffixes) {
    for (int i = 0; i < suffixes.length; i++) {
      if (withSubdomains.contains(suffixes[i]) || (i > 0 && belowOnly.contains(suffixes[i]))) {
        return true;
      }
    }
    return false;
  }

  /** Entries listed here and in {@code other} alike (same name, same form). */
  long countShared(DomainSet other) {
    return withSubdomains.countShared(other.withSubdomains) + belowOnly.countShared(other.belowOnly);
  }

  /**
   * Whether each entry here is an entry of one of {@code others} that covers at least as much: exact
   * entries only, so an entry covered by a parent entry of another set is not found.
   */
  boolean entriesWithin(List<DomainSet> others) {
    List<LongHashSet> whole = others.stream().map(d -> d.withSubdomains).toList();
    List<LongHashSet> any = new ArrayList<>(whole);
    others.forEach(d -> any.add(d.belowOnly));
    return withSubdomains.allIn(whole) && belowOnly.allIn(any);
  }

  boolean containsBelowOnly(long hash) {
    return belowOnly.contains(hash);
  }

  boolean isEmpty() {
    return size() == 0;
  }

  public int size() {
    return withSubdomains.size() + belowOnly.size();
  }
}
