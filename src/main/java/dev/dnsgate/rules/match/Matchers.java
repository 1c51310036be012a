package dev.dnsgate.rules.match;

import dev.dnsgate.rules.RuleFileException;
import dev.dnsgate.rules.RuleSpec;
import dev.dnsgate.wire.ClientName;
import dev.dnsgate.wire.DomainName;
import java.io.IOException;
import java.net.IDN;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Builds a rule's matcher from its {@code match:} block. Every key present must match (AND); a key
 * with several values matches any of them (OR). Without {@code match:} a rule matches every query.
 *
 * <table>
 *   <tr><td>name</td><td>exact names</td></tr>
 *   <tr><td>suffix</td><td>a name and everything below it, label-wise</td></tr>
 *   <tr><td>wildcard</td><td>{@code *.example} (one or more labels) or {@code ads*.example} (within a label)</td></tr>
 *   <tr><td>regex</td><td>Java regex, searched in the lower-case name without trailing dot</td></tr>
 *   <tr><td>types</td><td>query types: A, AAAA, TXT, ...</td></tr>
 *   <tr><td>clients</td><td>client addresses or networks (CIDR)</td></tr>
 *   <tr><td>client-names</td><td>names DoT/DoH clients give themselves ({@code laptop}, {@code kids-*})</td></tr>
 *   <tr><td>list</td><td>block-list files or URLs (hosts, domains, Adblock formats)</td></tr>
 * </table>
 */
public final class Matchers {

  public static final Set<String> KEYS = Set.of("name", "suffix", "wildcard", "regex", "types", "clients", "client-names", "list");
  private static final Logger LOG = Logger.getLogger(Matchers.class);

  private Matchers() {}

  public static Criteria from(RuleSpec match) {
    match.rejectUnknown(KEYS, "match");
    Set<Name> names = null;
    if (match.has("name")) {
      names = new HashSet<>();
      for (String n : match.strings("name")) {
        names.add(name(match, "name", n));
      }
    }
    List<Name> suffixes = match.has("suffix")
        ? match.strings("suffix").stream().map(s -> name(match, "suffix", s)).toList() : null;
    List<String> wildcards = match.has("wildcard")
        ? match.strings("wildcard").stream().map(w -> wildcardText(match, w)).toList() : null;
    List<Pattern> wildcardPatterns = wildcards == null ? null : wildcards.stream().map(w -> wildcard(match, w)).toList();
    List<Pattern> regexes = match.has("regex")
        ? match.strings("regex").stream().map(r -> regex(match, "regex", r)).toList() : null;
    Set<Integer> types = null;
    if (match.has("types")) {
      types = new HashSet<>();
      for (String t : match.strings("types")) {
        int type = Type.value(t.toUpperCase());
        if (type < 0) {
          throw match.error("types", "'" + t + "' is not a DNS type");
        }
        types.add(type);
      }
    }
    List<Cidr> clients = match.has("clients") ? match.strings("clients").stream().map(c -> cidr(match, c)).toList() : null;
    List<Pattern> clientNames = match.has("client-names")
        ? match.strings("client-names").stream().map(n -> clientName(match, n)).toList() : null;
    List<String> listSources = match.has("list") ? match.strings("list") : null;
    List<BlockList> lists = listSources == null ? null : listSources.stream().map(l -> list(match, l)).toList();
    return new Criteria(names == null ? null : Set.copyOf(names), suffixes, wildcards, wildcardPatterns, regexes,
        types == null ? null : Set.copyOf(types), clients, clientNames, listSources, lists);
  }

  /** Lower-case text of a name without the trailing dot, the form regexes and wildcards see. */
  public static String text(Name name) {
    return name.toString(true).toLowerCase();
  }

  /** A name as written in a rule file; internationalised names are turned into A-labels. */
  public static Name name(RuleSpec spec, String key, String text) {
    try {
      return DomainName.parse(text);
    } catch (IllegalArgumentException e) {
      throw spec.error(key, "'" + text + "' is not a valid name: " + e.getMessage());
    }
  }

  public static Pattern regex(RuleSpec spec, String key, String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw spec.error(key, "bad regular expression '" + regex + "': " + e.getDescription());
    }
  }

  /** A wildcard as lower-case A-label text without a trailing dot, e.g. "*.tracker.example". */
  private static String wildcardText(RuleSpec spec, String wildcard) {
    String text;
    try {
      text = IDN.toASCII(wildcard.toLowerCase(), IDN.ALLOW_UNASSIGNED);
    } catch (IllegalArgumentException e) {
      throw spec.error("wildcard", "'" + wildcard + "' is not a valid name pattern: " + e.getMessage());
    }
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }

  private static Pattern wildcard(RuleSpec spec, String text) {
    StringBuilder regex = new StringBuilder("^");
    String rest = text;
    if (rest.startsWith("*.")) {
      regex.append("(?:[^.]+\\.)+");
      rest = rest.substring(2);
    }
    for (String part : rest.split("\\*", -1)) {
      regex.append(Pattern.quote(part)).append("[^.]*");
    }
    regex.setLength(regex.length() - "[^.]*".length());
    return regex(spec, "wildcard", regex.append('$').toString());
  }

  /**
   * A client name or a pattern with {@code *} (any characters): what ClientName accepts, so that a
   * typo cannot silently match nothing.
   */
  private static Pattern clientName(RuleSpec spec, String text) {
    String lower = text.toLowerCase();
    if (ClientName.valid(lower.replace('*', 'x')) == null) {
      throw spec.error("client-names", "'" + text + "' is not a client name: 1-63 letters, digits, inner hyphens,"
          + " and * for any characters");
    }
    StringBuilder regex = new StringBuilder("^");
    for (String part : lower.split("\\*", -1)) {
      regex.append(Pattern.quote(part)).append(".*");
    }
    regex.setLength(regex.length() - 2);
    return Pattern.compile(regex.append('$').toString());
  }

  private static Cidr cidr(RuleSpec spec, String text) {
    try {
      return Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      throw spec.error("clients", e.getMessage());
    }
  }

  private static BlockList list(RuleSpec spec, String source) {
    try {
      long start = System.nanoTime();
      BlockList list = spec.environment().lists().load(source, spec.environment().resolve(source));
      LOG.infof("%s: list %s: %d entries, %d lines skipped, %d ms%s", spec.where("list"), source,
          list.entries(), list.skippedLines(), (System.nanoTime() - start) / 1_000_000,
          list.fromSnapshot() ? " (from its snapshot)" : "");
      return list;
    } catch (IOException e) {
      throw new RuleFileException(spec.where("list"), "cannot read list '" + source + "': " + e.getMessage());
    }
  }
}
