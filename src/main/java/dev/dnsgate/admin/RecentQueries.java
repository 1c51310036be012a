package dev.dnsgate.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last {@code size} answered queries in a ring: the oldest is overwritten, so memory is fixed.
 * Written by the feed's thread, searched by HTTP requests under one lock.
 */
final class RecentQueries {

  /**
   * One query as shown: texts made once, on the feed's thread.
   *
   * @param client the client (anonymised when so configured), or null
   * @param detail the deciding rule and its kind, or the upstream group
   */
  record Entry(long epochMillis, String client, String name, String type, String source, String detail,
      String rcode, double latencyMs) {}

  private final Entry[] ring;
  private long written;

  RecentQueries(int size) {
    this.ring = new Entry[size];
  }

  synchronized void add(Entry entry) {
    ring[(int) (written % ring.length)] = entry;
    written++;
  }

  /** Newest first, at most {@code limit} of those that pass {@code filter}. */
  synchronized List<Entry> search(Predicate<Entry> filter, int limit) {
    List<Entry> found = new ArrayList<>();
    long oldest = Math.max(0, written - ring.length);
    for (long i = written - 1; i >= oldest && found.size() < limit; i--) {
      Entry e = ring[(int) (i % ring.length)];
      if (filter.test(e)) {
        found.add(e);
      }
    }
    return found;
  }

  synchronized int kept() {
    return (int) Math.min(written, ring.length);
  }
}
