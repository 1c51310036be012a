package dev.dnsgate.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Approximate heavy hitters in fixed memory: the Space-Saving algorithm (Metwally, Agrawal, El Abbadi,
 * 2005). At most {@code capacity} keys are counted; a new key takes the place of the smallest count
 * and inherits it. A key's count is never below its true count and over it by at most {@link #error()}
 * (the smallest count, at most n/capacity for n offers); any key seen more than n/capacity times is
 * in the sketch.
 *
 * <p>Keys are kept as they come (DNS names compare without case), so counting makes no text.
 * Not thread-safe: written by the feed's thread only, read under the owner's lock.
 */
final class TopSketch<K> {

  private final int capacity;
  private final Map<K, long[]> counts;
  /** Keys that had the smallest count at the last scan: evicted from here without a new scan. */
  private final List<K> smallest = new ArrayList<>();
  private long smallestCount;

  TopSketch(int capacity) {
    this.capacity = capacity;
    this.counts = new HashMap<>(capacity * 2);
  }

  void offer(K key) {
    long[] count = counts.get(key);
    if (count != null) {
      count[0]++;
      return;
    }
    if (counts.size() < capacity) {
      counts.put(key, new long[] {1});
      return;
    }
    long inherited = evictSmallest();
    counts.put(key, new long[] {inherited + 1});
  }

  /**
   * Counts only grow, so a key remembered as smallest either still has that count or has grown (and
   * is skipped); a scan happens only when the remembered ones are used up: amortised O(1) under a
   * flood of new keys.
   */
  private long evictSmallest() {
    while (true) {
      while (!smallest.isEmpty()) {
        K candidate = smallest.remove(smallest.size() - 1);
        long[] c = counts.get(candidate);
        if (c != null && c[0] == smallestCount) {
          counts.remove(candidate);
          return smallestCount;
        }
      }
      smallestCount = Long.MAX_VALUE;
      for (Map.Entry<K, long[]> e : counts.entrySet()) {
        long c = e.getValue()[0];
        if (c < smallestCount) {
          smallestCount = c;
          smallest.clear();
        }
        if (c == smallestCount) {
          smallest.add(e.getKey());
        }
      }
    }
  }

  /** How far any count may be over the truth: the smallest count once full, else 0 (exact). */
  long error() {
    if (counts.size() < capacity) {
      return 0;
    }
    long min = Long.MAX_VALUE;
    for (long[] c : counts.values()) {
      min = Math.min(min, c[0]);
    }
    return min;
  }

  /** Adds this sketch's counts into {@code into}. */
  void addTo(Map<K, Long> into) {
    counts.forEach((k, c) -> into.merge(k, c[0], Long::sum));
  }

  /** The {@code n} largest of merged counts, largest first, ties by their text. */
  static <K> List<Map.Entry<K, Long>> top(Map<K, Long> merged, int n) {
    return merged.entrySet().stream()
        .sorted(Map.Entry.<K, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(e -> e.getKey().toString()))
        .limit(n)
        .toList();
  }
}
