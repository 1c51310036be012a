package dev.dnsgate.rules.rpz;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Reads a policy zone in zone-file syntax into triggers, one record at a time: only the trigger
 * tables stay in memory, never the records of a two-million-line feed.
 */
final class ZoneReader {

  private ZoneReader() {}

  /** A zone whose file could not serve: unreadable, a syntax error, or no SOA for its origin. */
  static final class BadZoneException extends IOException {
    BadZoneException(String message) {
      super(message);
    }
  }

  /**
   * @throws BadZoneException when the file does not hold a complete zone
   */
  static Triggers read(Path file, Name origin) throws IOException {
    long size = Files.size(file);
    // a policy line is ~40 bytes: sizing the table from the file spares most of its regrowth
    Triggers.Builder builder = new Triggers.Builder((int) Math.min(size / 40, 50_000_000));
    SOARecord soa = null;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        Master master = new Master(in, origin, 3600)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        if (r instanceof SOARecord && r.getName().equals(origin)) {
          soa = (SOARecord) r;
          continue;
        }
        builder.add(PolicyRecord.read(r, origin));
      }
    } catch (IOException | RuntimeException e) {
      throw new BadZoneException(file + ": " + e.getMessage());
    }
    if (soa == null) {
      throw new BadZoneException(file + ": no SOA record for " + origin + " (is the zone name right?)");
    }
    return builder.build(soa);
  }
}
