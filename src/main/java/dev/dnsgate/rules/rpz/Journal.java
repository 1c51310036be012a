package dev.dnsgate.rules.rpz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The IXFR steps applied since the copy on disk was written, one block per step: "-record" lines,
 * "+record" lines, then "=SOA record". A block without its "=" line (the process died while writing
 * it) is ignored on reading, as is everything after it.
 */
final class Journal {

  private Journal() {}

  record Entry(List<Record> deleted, List<Record> added, SOARecord soa) {}

  static void write(Writer out, List<Record> deleted, List<Record> added, SOARecord soa) throws IOException {
    for (Record r : deleted) {
      out.write("-" + r + "\n");
    }
    for (Record r : added) {
      out.write("+" + r + "\n");
    }
    out.write("=" + soa + "\n");
  }

  static List<Entry> read(Path journal) throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (!Files.exists(journal)) {
      return entries;
    }
    List<Record> deleted = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        Record r = TransferFeed.parse(line.substring(1));
        switch (line.charAt(0)) {
          case '-' -> deleted.add(r);
          case '+' -> added.add(r);
          case '=' -> {
            entries.add(new Entry(List.copyOf(deleted), List.copyOf(added), (SOARecord) r));
            deleted.clear();
            added.clear();
          }
          default -> throw new IOException(journal + ": unexpected line '" + line + "'");
        }
      }
    } catch (IOException | ClassCastException e) {
      // the tail written when the process stopped: the complete steps before it still count
      return entries;
    }
    return entries;
  }
}
