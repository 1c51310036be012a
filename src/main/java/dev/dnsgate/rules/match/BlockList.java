package dev.dnsgate.rules.match;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;

/**
 * A block list in any of the formats people download, detected per line:
 *
 * <ul>
 *   <li>hosts files: {@code 0.0.0.0 ads.example}, {@code 127.0.0.1 a.example b.example}, {@code :: x};
 *   <li>one domain per line: {@code ads.example}, or {@code *.ads.example} for subdomains only;
 *   <li>Adblock-style: {@code ||ads.example^}, with {@code @@||good.example^} as an exception.
 * </ul>
 *
 * Comments ({@code #}, {@code !}) and hosts-file boilerplate (localhost and friends) are ignored; a
 * line that fits no format is skipped and counted, never fatal: a downloaded list is not ours to fix.
 */
public final class BlockList {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  /** Compiled once: String.split compiles a regex like this one on every call, per line of a 1M-line list. */
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Set<String> SINK_ADDRESSES = Set.of("0.0.0.0", "127.0.0.1", "::", "::1", "0:0:0:0:0:0:0:0");
  private static final Set<String> HOSTS_BOILERPLATE =
      Set.of("localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
          "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
          "ip6-allhosts", "0.0.0.0");

  private final DomainSet blocked = new DomainSet();
  private final DomainSet exceptions = new DomainSet();
  private int skipped;

  public static BlockList read(BufferedReader reader) throws IOException {
    BlockList list = new BlockList();
    String line;
    while ((line = reader.readLine()) != null) {
      list.addLine(line);
    }
    return list;
  }

  void addLine(String raw) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#") || line.startsWith("!") || line.startsWith("[")) {
      return;
    }
    int comment = line.indexOf('#');
    if (comment > 0) {
      line = line.substring(0, comment).strip();
    }
    if (line.startsWith("@@||")) {
      adblock(line.substring(4), exceptions);
    } else if (line.startsWith("||")) {
      adblock(line.substring(2), blocked);
    } else {
      String[] fields = WHITESPACE.split(line);
      if (fields.length == 1) {
        domain(fields[0], blocked);
      } else if (SINK_ADDRESSES.contains(fields[0])) {
        for (int i = 1; i < fields.length; i++) {
          if (!HOSTS_BOILERPLATE.contains(fields[i].toLowerCase())) {
            domain(fields[i], blocked);
          }
        }
      } else {
        skipped++;
      }
    }
  }

  private void adblock(String rest, DomainSet target) {
    String domain = rest;
    if (domain.endsWith("^$important")) {
      domain = domain.substring(0, domain.length() - "$important".length());
    }
    if (!domain.endsWith("^") || domain.indexOf('/') >= 0 || domain.indexOf('$') >= 0) {
      skipped++; // paths and modifiers are for browsers, not DNS
      return;
    }
    domain(domain.substring(0, domain.length() - 1), target);
  }

  private void domain(String text, DomainSet target) {
    String normalized = normalize(text);
    if (normalized == null) {
      skipped++;
    } else {
      target.add(normalized);
    }
  }

  /** Lower-case A-label form without a trailing dot, or null if it is not a domain name. */
  static String normalize(String text) {
    String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    boolean wildcard = name.startsWith("*.");
    if (wildcard) {
      name = name.substring(2);
    }
    try {
      // IDN.toASCII leaves ASCII labels as they are (up to case): skip its nameprep pass for them
      name = isAscii(name) ? name.toLowerCase(Locale.ROOT) : IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (name.isEmpty() || name.length() > 253) {
      return null;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return null;
      }
    }
    return wildcard ? "*." + name : name;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  public boolean blocks(Name name) {
    long[] suffixes = LabelHash.suffixes(name);
    return blocked.contains(suffixes) && !exceptions.contains(suffixes);
  }

  /**
   * Whether this list blocks every name below {@code name}, and {@code name} itself when
   * {@code andItself}. Exceptions are not looked into: a list with any is never said to cover a whole
   * subtree.
   */
  public boolean coversSubtree(Name name, boolean andItself) {
    if (!exceptions.isEmpty()) {
      return false;
    }
    long[] suffixes = LabelHash.suffixes(name);
    return blocked.contains(suffixes) || (!andItself && blocked.containsBelowOnly(suffixes[0]));
  }

  /** Entries that {@code other} lists too, in the same form. */
  public long sharedEntries(BlockList other) {
    return blocked.countShared(other.blocked);
  }

  /**
   * Whether every entry of this list is listed, in a form covering as much, by one of {@code others}
   * (none of which has exceptions). Exact entries only: an entry that only a parent entry of another
   * list covers makes this false.
   */
  public boolean entriesWithin(List<BlockList> others) {
    for (BlockList other : others) {
      if (!other.exceptions.isEmpty()) {
        return false;
      }
    }
    return blocked.entriesWithin(others.stream().map(o -> o.blocked).toList());
  }

  public int entries() {
    return blocked.size() + exceptions.size();
  }

  public int skippedLines() {
    return skipped;
  }
}
