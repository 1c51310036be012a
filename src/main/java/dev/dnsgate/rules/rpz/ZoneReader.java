package dev.dnsgate.rules.rpz;

import dev.dnsgate.rules.match.LabelHash;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TTL;

/**
 * Reads a policy zone in zone-file syntax into triggers, one record at a time: only the trigger
 * tables stay in memory, never the records of a two-million-line feed.
 *
 * <p>Feeds are millions of lines of one shape, {@code name CNAME .}; dnsjava's Master parses about
 * 40k such lines a second here, so those lines are read directly (the name hashed from its text, no
 * objects), and every other line goes through Master with the same origin, TTL and owner. A file
 * that uses $ORIGIN, $INCLUDE, $GENERATE or parentheses goes through Master entirely.
 */
final class ZoneReader {

  /** Plain relative owners: letters, digits, '-', '_', optionally "*." first. */
  private static final Pattern SIMPLE_OWNER = Pattern.compile("(\\*\\.)?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final Pattern TTL_TOKEN = Pattern.compile("[0-9]+[0-9smhdwSMHDW]*");
  private static final Map<String, PolicyAction> STANDARD = Map.of(
      ".", PolicyAction.NXDOMAIN, "*.", PolicyAction.NODATA, "rpz-passthru.", PolicyAction.PASSTHRU,
      "rpz-drop.", PolicyAction.DROP, "rpz-tcp-only.", PolicyAction.TCP_ONLY);
  private static final Pattern NEEDS_MASTER = Pattern.compile("^\\$(ORIGIN|INCLUDE|GENERATE)|[()]",
      Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);

  private ZoneReader() {}

  /** A zone whose file could not serve: unreadable, a syntax error, or no SOA for its origin. */
  static final class BadZoneException extends IOException {
    BadZoneException(String message) {
      super(message);
    }
  }

  /** @throws BadZoneException when the file does not hold a complete zone */
  static Triggers read(Path file, Name origin) throws IOException {
    long size = Files.size(file);
    // a policy line is ~30 bytes: sizing the table from the file spares most of its regrowth
    Triggers.Builder builder = new Triggers.Builder((int) Math.min(size / 30, 50_000_000));
    SOARecord soa;
    try {
      soa = needsMaster(file) ? readWithMaster(file, origin, builder) : readByLine(file, origin, builder);
    } catch (IOException | RuntimeException e) {
      throw new BadZoneException(file + ": " + e.getMessage());
    }
    if (soa == null) {
      throw new BadZoneException(file + ": no SOA record for " + origin + " (is the zone name right?)");
    }
    return builder.build(soa);
  }

  private static boolean needsMaster(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (NEEDS_MASTER.matcher(line).find()) {
          return true;
        }
      }
    }
    return false;
  }

  private static SOARecord readWithMaster(Path file, Name origin, Triggers.Builder builder) throws IOException {
    SOARecord soa = null;
    try (InputStream in = Files.newInputStream(file); Master master = new Master(in, origin, 3600)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        soa = take(r, origin, builder, soa);
      }
    }
    return soa;
  }

  private static SOARecord take(Record r, Name origin, Triggers.Builder builder, SOARecord soa) {
    if (r instanceof SOARecord s && r.getName().equals(origin)) {
      return s;
    }
    builder.add(PolicyRecord.read(r, origin));
    return soa;
  }

  private static SOARecord readByLine(Path file, Name origin, Triggers.Builder builder) throws IOException {
    SOARecord soa = null;
    long defaultTtl = 3600;
    String owner = null;
    int number = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        number++;
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith(";")) {
          continue;
        }
        if (trimmed.regionMatches(true, 0, "$TTL", 0, 4)) {
          defaultTtl = TTL.parseTTL(trimmed.substring(4).split(";")[0].strip());
          continue;
        }
        boolean ownerGiven = !Character.isWhitespace(line.charAt(0));
        String[] tokens = trimmed.split("\\s+");
        if (ownerGiven) {
          owner = tokens[0];
        }
        if (owner == null) {
          throw new IOException("line " + number + ": a record without an owner");
        }
        if (!ownerGiven || !fast(tokens, origin, builder)) {
          String full = ownerGiven ? line : owner + " " + trimmed;
          soa = take(single(full, origin, defaultTtl, number), origin, builder, soa);
        }
      }
    }
    return soa;
  }

  /**
   * Adds "name [ttl] [IN] CNAME action" (one of the draft's standard actions) without parsing a
   * record; false for any other line.
   */
  private static boolean fast(String[] tokens, Name origin, Triggers.Builder builder) {
    int i = 1;
    if (i < tokens.length && TTL_TOKEN.matcher(tokens[i]).matches()) {
      i++;
    }
    if (i < tokens.length && tokens[i].equalsIgnoreCase("IN")) {
      i++;
    }
    if (tokens.length != i + 2 || !tokens[i].equalsIgnoreCase("CNAME")) {
      return false;
    }
    PolicyAction action = STANDARD.get(tokens[i + 1].toLowerCase(Locale.ROOT));
    String lower = tokens[0].toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      // absolute, as copies written from transfers are: only names inside the zone, made relative
      String suffix = "." + origin.toString().toLowerCase(Locale.ROOT);
      if (!lower.endsWith(suffix)) {
        return false;
      }
      lower = lower.substring(0, lower.length() - suffix.length());
    }
    if (action == null || !SIMPLE_OWNER.matcher(lower).matches()) {
      return false;
    }
    String lastLabel = lower.substring(lower.lastIndexOf('.') + 1);
    if (lastLabel.startsWith("rpz-")) {
      return false; // IP and NS triggers: the slow path reads those
    }
    boolean wildcard = lower.startsWith("*.");
    TriggerKind kind = wildcard ? TriggerKind.WILDCARD : TriggerKind.QNAME;
    long hash = LabelHash.ofText(wildcard ? lower.substring(2) : lower);
    builder.add(new PolicyRecord(kind, Triggers.key(kind, hash), 0, false, action, null));
    return true;
  }

  private static Record single(String line, Name origin, long ttl, int number) throws IOException {
    try (Master master = new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), origin, ttl)) {
      Record r = master.nextRecord();
      if (r == null) {
        throw new IOException("line " + number + ": no record");
      }
      return r;
    } catch (IOException e) {
      throw new IOException("line " + number + ": " + e.getMessage(), e);
    }
  }
}
