package dev.dnsgate.cache;

import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Name;

/**
 * Where entries live: {@link Segment}s chosen by key hash, each behind its own lock, bounded by
 * entries and bytes; an entry is kept until its keep-until time and leaves as the rings turn.
 * Knows nothing of DNS beyond the key's name (for a flush by name).
 *
 * <p>Bytes, not objects: an entry is a record in a segment's arrays, so a full cache costs the
 * collector a few hundred arrays however many answers it holds, and storing an answer leaves nothing
 * for the next young collection to copy. Reads return copies.
 */
final class AnswerStore {

  /** Enough segments that two event loops rarely wait for one another; one for a small cache. */
  private static final int SEGMENTS = 16;
  /** The largest array of a ring: large enough that few are needed, small enough to fit a young generation. */
  private static final int MAX_CHUNK = 1 << 20;

  private final NanoClock clock;
  private final Segment[] segments;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder puts = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  AnswerStore(long maxEntries, long maxBytes, NanoClock clock) {
    this.clock = clock;
    int count = maxEntries >= SEGMENTS * 1024L && maxBytes >= SEGMENTS * (long) MAX_CHUNK ? SEGMENTS : 1;
    this.segments = new Segment[count];
    for (int i = 0; i < count; i++) {
      segments[i] = new Segment(maxEntries / count, maxBytes / count, MAX_CHUNK, evictions);
    }
  }

  private Segment segment(CacheKey key) {
    return segments[(key.hashCode() >>> 24) & (segments.length - 1)]; // the index within uses the low bits
  }

  /** The entry, fresh or kept for serve-stale, or null. */
  CacheEntry get(CacheKey key) {
    return segment(key).read(key, clock.nanos(), false, false);
  }

  /** The entry while it is fresh, its hit counted, or null (a miss counted). */
  CacheEntry fresh(CacheKey key) {
    CacheEntry entry = segment(key).read(key, clock.nanos(), true, true);
    (entry == null ? misses : hits).increment();
    return entry;
  }

  /** Keeps the entry (a copy of its bytes), unless it is larger than a segment takes. */
  void put(CacheKey key, CacheEntry entry) {
    if (segment(key).put(key, entry, clock.nanos())) {
      puts.increment();
    }
  }

  boolean startPrefetch(CacheKey key) {
    return segment(key).startPrefetch(key);
  }

  void prefetchDone(CacheKey key) {
    segment(key).prefetchDone(key);
  }

  void clear() {
    for (Segment segment : segments) {
      segment.clear();
    }
  }

  /** Removes every entry for {@code name}, all types and groups; returns how many. */
  int remove(Name name) {
    byte[] canonical = name.toWireCanonical();
    int removed = 0;
    for (Segment segment : segments) {
      removed += segment.remove(canonical);
    }
    return removed;
  }

  long size() {
    long size = 0;
    for (Segment segment : segments) {
      size += segment.size();
    }
    return size;
  }

  /** Expired entries leave now rather than when the rings come round to them. */
  void cleanUp() {
    long now = clock.nanos();
    for (Segment segment : segments) {
      segment.removeExpired(now);
    }
  }

  long hits() {
    return hits.sum();
  }

  long misses() {
    return misses.sum();
  }

  long puts() {
    return puts.sum();
  }

  long evictions() {
    return evictions.sum();
  }
}
