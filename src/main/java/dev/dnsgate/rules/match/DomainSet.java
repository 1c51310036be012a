package dev.dnsgate.rules.match;

/**
 * Domains a list names, each covering itself and everything below it (as Blocky and AdGuard treat
 * list entries), or only what is below it ({@code *.example}). Lookup cost depends on the number of
 * labels in the query name, not on the size of the list.
 */
public final class DomainSet {

  private final LongHashSet withSubdomains = new LongHashSet();
  private final LongHashSet belowOnly = new LongHashSet();

  /** @param domain lower-case text, optionally starting with "*." for subdomains only */
  public void add(String domain) {
    if (domain.startsWith("*.")) {
      belowOnly.add(LabelHash.ofText(domain.substring(2)));
    } else {
      withSubdomains.add(LabelHash.ofText(domain));
    }
  }

  boolean contains(long[] suffixes) {
    for (int i = 0; i < suffixes.length; i++) {
      if (withSubdomains.contains(suffixes[i]) || (i > 0 && belowOnly.contains(suffixes[i]))) {
        return true;
      }
    }
    return false;
  }

  public int size() {
    return withSubdomains.size() + belowOnly.size();
  }
}
