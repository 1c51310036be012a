package dev.dnsgate.rules.match;

import dev.dnsgate.rules.RuleQuery;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;

/**
 * A rule's {@code match:} block, kept as data rather than as a chain of lambdas, so that the lint
 * can reason about what a rule can match. Each component is null when its key is absent; every key
 * present must match (AND), and a key with several values matches any of them (OR).
 *
 * @param wildcards the wildcard patterns as written, lower-case A-labels without a trailing dot
 * @param wildcardPatterns the same, compiled; index for index
 * @param clientNames the names DoT/DoH clients give themselves, as anchored patterns ({@code kids-*})
 * @param listSources the list files or URLs as written; index for index with {@code lists}
 */
public record Criteria(
    Set<Name> names,
    List<Name> suffixes,
    List<String> wildcards,
    List<Pattern> wildcardPatterns,
    List<Pattern> regexes,
    Set<Integer> types,
    List<Cidr> clients,
    List<Pattern> clientNames,
    List<String> listSources,
    List<BlockList> lists) implements Matcher {

  /** No key at all: every query. */
  public static final Criteria EVERYTHING = new Criteria(null, null, null, null, null, null, null, null, null, null);

  /** Whether any key restricts the name (name, suffix, wildcard, regex or list). */
  public boolean restrictsNames() {
    return names != null || suffixes != null || wildcards != null || regexes != null || lists != null;
  }

  // Loops, not streams, in the per-query checks: a stream pipeline per query showed in profiles.
  @Override
  public boolean matches(RuleQuery query) {
    return (types == null || types.contains(query.type()))
        && matchesName(query.name())
        && (clients == null || (query.client() != null && Cidr.anyContains(clients, query.client())))
        && (clientNames == null || (query.clientName() != null && findsAny(clientNames, query.clientName())));
  }

  /** Whether the name keys alone accept {@code name}, whatever the type and client. */
  public boolean matchesName(Name name) {
    if (names != null && !names.contains(name)) {
      return false;
    }
    if (suffixes != null && !underAny(suffixes, name)) {
      return false;
    }
    if (wildcardPatterns == null && regexes == null) {
      return lists == null || listedInAny(lists, name);
    }
    String text = Matchers.text(name);
    return (wildcardPatterns == null || findsAny(wildcardPatterns, text))
        && (regexes == null || findsAny(regexes, text))
        && (lists == null || listedInAny(lists, name));
  }

  private static boolean underAny(List<Name> suffixes, Name name) {
    for (Name suffix : suffixes) {
      if (name.subdomain(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean listedInAny(List<BlockList> lists, Name name) {
    for (BlockList list : lists) {
      if (list.blocks(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean findsAny(List<Pattern> patterns, String text) {
    for (Pattern p : patterns) {
      if (p.matcher(text).find()) {
        return true;
      }
    }
    return false;
  }
}
