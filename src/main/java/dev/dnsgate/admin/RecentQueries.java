package dev.dnsgate.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last {@code size} answered queries in a ring: the oldest is overwritten, so memory is fixed.
 * Written by the feed's thread, searched by HTTP requests under one lock.
 */
final class RecentQueries {

  private final Seen[] ring;
  private long written;

  RecentQueries(int size) {
    this.ring = new Seen[size];
  }

  synchronized void add(Seen seen) {
    ring[(int) (written % ring.length)] = seen;
    written++;
  }

  /** Newest first, at most {@code limit} of those that pass {@code filter}. */
  synchronized List<Seen> search(Predicate<Seen> filter, int limit) {
    List<Seen> found = new ArrayList<>();
    long oldest = Math.max(0, written - ring.length);
    for (long i = written - 1; i >= oldest && found.size() < limit; i--) {
      Seen seen = ring[(int) (i % ring.length)];
      if (filter.test(seen)) {
        found.add(seen);
      }
    }
    return found;
  }

  synchronized int kept() {
    return (int) Math.min(written, ring.length);
  }
}
