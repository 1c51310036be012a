package dev.dnsgate.dnssec;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;

/**
 * Names at and below which nothing is validated (RFC 7646 negative trust anchors, unbound's
 * domain-insecure): internal zones under a signed public parent, or a zone whose signing is broken
 * and known to be.
 */
final class NegativeAnchors {

  private final Set<Name> names;

  NegativeAnchors(List<Name> names) {
    this.names = Set.copyOf(names);
  }

  static NegativeAnchors parse(List<String> written) {
    return new NegativeAnchors(written.stream().map(NegativeAnchors::name).collect(Collectors.toList()));
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalArgumentException("not a domain name: '" + text + "'", e);
    }
  }

  /** The anchor covering {@code name}, or null: walks up the labels, at most 127 set lookups. */
  Name covering(Name name) {
    if (names.isEmpty()) {
      return null;
    }
    for (int labels = name.labels(); labels >= 1; labels--) {
      Name suffix = labels == name.labels() ? name : new Name(name, name.labels() - labels);
      if (names.contains(suffix)) {
        return suffix;
      }
    }
    return null;
  }
}
