package dev.dnsgate.cache;

import dev.dnsgate.upstream.Validation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A share of the answer cache (by key hash) behind one lock: an open-addressing index from key to
 * record, and the records in two {@link Ring}s, S3-FIFO style (Yang et al., SOSP 2023). New answers
 * enter the small ring; one hit before they reach its tail (or room to spare in the main ring) moves
 * them to the main ring, where an entry hit since it last came round goes round again. A flood of
 * never-repeated names passes through the small ring and leaves the names clients keep asking for in
 * the main one.
 *
 * <p>A record is a fixed header (below), then the key as {@link CacheKey#encoded} gives it, the TTL
 * offsets (two bytes each), the answer's bytes, and the validation's zone and reason (UTF-8).
 */
final class Segment {

  private static final int LENGTH = 0;
  private static final int HASH = 4;
  private static final int STORED = 8;
  private static final int FRESH = 16;
  private static final int KEEP = 24;
  private static final int TTL = 32;
  private static final int HITS = 36;
  private static final int STATE = 40;
  private static final int STATUS = 41;
  private static final int RCODE = 42;
  private static final int KEY_LENGTH = 44;
  private static final int WIRE_LENGTH = 46;
  private static final int TTL_COUNT = 48;
  private static final int ZONE_LENGTH = 50;
  private static final int REASON_LENGTH = 52;
  private static final int HEADER = 54;
  /** No record is smaller: a header, the shortest key and a DNS header's 12 bytes, give or take. */
  static final int SMALLEST_RECORD = HEADER + 8;
  /** Index slots looked at for expired entries on each store, so that they leave a busy cache soon. */
  private static final int SWEEP_STEPS = 8;

  private static final int PLAIN = 1;
  private static final int PREFETCHING = 2;
  /** Replaced, flushed or expired: its bytes wait for the tail, the index no longer points at them. */
  private static final int DEAD = 4;
  private static final int NO_ZONE = 8;
  private static final int NO_REASON = 16;
  /** Hits since the record entered its ring or last went round, up to 3 (S3-FIFO's frequency). */
  private static final int RECENT_SHIFT = 5;
  private static final int RECENT_MAX = 3;

  /** Marks a locator (ring position) as being in the main ring. */
  private static final long IN_MAIN = 1L << 62;
  private static final long EMPTY = -1;
  private static final Validation.Status[] STATUSES = Validation.Status.values();
  private static final byte[] NO_BYTES = {};

  private final Ring small;
  private final Ring main;
  private final int maxEntries;
  private final long[] slots;
  private final int[] hashes;
  private final int mask;
  private final LongAdder evictions;
  private int count;
  private int smallCount;
  private int sweep;
  private byte[] scratch = new byte[256];

  /** At most {@code maxEntries} (up to 2^28) entries and {@code maxBytes} of records. */
  Segment(long maxEntries, long maxBytes, int maxChunk, LongAdder evictions) {
    this.small = new Ring(Math.max(HEADER * 8L, maxBytes / 10), maxChunk);
    this.main = new Ring(Math.max(HEADER * 8L, maxBytes - small.capacity()), maxChunk);
    long fitting = (small.capacity() + main.capacity()) / SMALLEST_RECORD;
    this.maxEntries = (int) Math.max(1, Math.min(1 << 28, Math.min(maxEntries, fitting)));
    int tableSize = Integer.highestOneBit(Math.max(8, this.maxEntries * 2 - 1)) << 1;
    this.slots = new long[tableSize];
    this.hashes = new int[tableSize];
    this.mask = tableSize - 1;
    this.evictions = evictions;
    Arrays.fill(slots, EMPTY);
  }

  /**
   * Keeps {@code entry} for {@code key}, in place of any entry it had; false when the entry is too
   * large for this segment (the answer is then served but not kept).
   */
  boolean put(CacheKey key, CacheEntry entry, long now) {
    byte[] keyBytes = key.encoded(); // encoded before taking the lock
    byte[] zone = utf8(entry.validation.zone());
    byte[] reason = utf8(entry.validation.reason());
    synchronized (this) {
      return put(key, keyBytes, entry, zone, reason, now);
    }
  }

  private boolean put(CacheKey key, byte[] keyBytes, CacheEntry entry, byte[] zone, byte[] reason, long now) {
    int keyLength = keyBytes.length;
    int length = HEADER + keyLength + 2 * entry.ttlOffsets.length + entry.wire.length + zone.length + reason.length;
    int slot = find(key);
    if (slot >= 0) {
      remove(slot); // even when the new answer is not kept: the old one is no longer the answer
    }
    sweepExpired(now);
    if (length > small.largestRecord() || length > main.largestRecord()
        || Math.max(Math.max(keyLength, entry.wire.length), Math.max(zone.length, reason.length)) > 0xffff) {
      return false; // lengths are kept in two bytes; DNS messages never need more
    }
    while (count >= maxEntries) {
      evictOne(now);
    }
    while (!small.fits(length)) {
      evictSmall(now, true);
    }
    long at = small.append(length);
    writeRecord(at, key.hashCode(), keyBytes, entry, zone, reason, length);
    insert(key.hashCode(), at);
    count++;
    smallCount++;
    return true;
  }

  private void writeRecord(long at, int hash, byte[] keyBytes, CacheEntry entry, byte[] zone, byte[] reason,
      int length) {
    small.putInt(at, LENGTH, length);
    small.putInt(at, HASH, hash);
    small.putLong(at, STORED, entry.storedNanos);
    small.putLong(at, FRESH, entry.freshUntil);
    small.putLong(at, KEEP, entry.keepUntil);
    small.putInt(at, TTL, (int) Math.min(Integer.MAX_VALUE, entry.ttlSeconds));
    small.putInt(at, HITS, 0);
    Validation validation = entry.validation;
    small.putByte(at, STATE, (entry.plain ? PLAIN : 0) | (validation.zone() == null ? NO_ZONE : 0)
        | (validation.reason() == null ? NO_REASON : 0));
    small.putByte(at, STATUS, validation.status().ordinal());
    small.putShort(at, RCODE, entry.rcode);
    small.putShort(at, KEY_LENGTH, keyBytes.length);
    small.putShort(at, WIRE_LENGTH, entry.wire.length);
    small.putShort(at, TTL_COUNT, entry.ttlOffsets.length);
    small.putShort(at, ZONE_LENGTH, zone.length);
    small.putShort(at, REASON_LENGTH, reason.length);
    byte[] bytes = small.array(at);
    int p = small.offset(at) + HEADER;
    System.arraycopy(keyBytes, 0, bytes, p, keyBytes.length);
    p += keyBytes.length;
    for (int offset : entry.ttlOffsets) {
      bytes[p++] = (byte) (offset >>> 8);
      bytes[p++] = (byte) offset;
    }
    System.arraycopy(entry.wire, 0, bytes, p, entry.wire.length);
    p += entry.wire.length;
    System.arraycopy(zone, 0, bytes, p, zone.length);
    System.arraycopy(reason, 0, bytes, p + zone.length, reason.length);
  }

  /**
   * A copy of the entry for {@code key} while it is kept (fresh, or stale but retained), or fresh
   * only; {@code hit} counts a hit on it first. Null when there is none.
   */
  synchronized CacheEntry read(CacheKey key, long now, boolean freshOnly, boolean hit) {
    int slot = find(key);
    if (slot < 0) {
      return null;
    }
    Ring ring = ring(slots[slot]);
    long at = position(slots[slot]);
    if (now >= ring.getLong(at, KEEP)) {
      remove(slot);
      return null;
    }
    if (freshOnly && now >= ring.getLong(at, FRESH)) {
      return null;
    }
    int hits = ring.getInt(at, HITS);
    if (hit) {
      hits++;
      ring.putInt(at, HITS, hits);
      int state = ring.getByte(at, STATE);
      ring.putByte(at, STATE, withRecent(state, Math.min(RECENT_MAX, (state >>> RECENT_SHIFT) + 1)));
    }
    return copyOf(ring, at, hits);
  }

  private static CacheEntry copyOf(Ring ring, long at, int hits) {
    byte[] bytes = ring.array(at);
    int p = ring.offset(at) + HEADER + ring.getShort(at, KEY_LENGTH);
    int[] offsets = new int[ring.getShort(at, TTL_COUNT)];
    for (int i = 0; i < offsets.length; i++, p += 2) {
      offsets[i] = (bytes[p] & 0xff) << 8 | bytes[p + 1] & 0xff;
    }
    int wireLength = ring.getShort(at, WIRE_LENGTH);
    byte[] wire = Arrays.copyOfRange(bytes, p, p + wireLength);
    p += wireLength;
    int state = ring.getByte(at, STATE);
    Validation.Status status = STATUSES[ring.getByte(at, STATUS)];
    int zoneLength = ring.getShort(at, ZONE_LENGTH);
    String zone = (state & NO_ZONE) != 0 ? null : new String(bytes, p, zoneLength, StandardCharsets.UTF_8);
    String reason = (state & NO_REASON) != 0
        ? null : new String(bytes, p + zoneLength, ring.getShort(at, REASON_LENGTH), StandardCharsets.UTF_8);
    Validation validation = status == Validation.Status.UNCHECKED && zone == null && reason == null
        ? Validation.UNCHECKED : new Validation(status, zone, reason);
    return new CacheEntry(wire, offsets, ring.getLong(at, STORED), ring.getInt(at, TTL), ring.getLong(at, FRESH),
        ring.getLong(at, KEEP), ring.getShort(at, RCODE), (state & PLAIN) != 0, validation, hits);
  }

  /** Claims the entry's one prefetch; false when one is already running, or there is no entry. */
  synchronized boolean startPrefetch(CacheKey key) {
    int slot = find(key);
    if (slot < 0) {
      return false;
    }
    Ring ring = ring(slots[slot]);
    long at = position(slots[slot]);
    int state = ring.getByte(at, STATE);
    if ((state & PREFETCHING) != 0) {
      return false;
    }
    ring.putByte(at, STATE, state | PREFETCHING);
    return true;
  }

  synchronized void prefetchDone(CacheKey key) {
    int slot = find(key);
    if (slot >= 0) {
      Ring ring = ring(slots[slot]);
      long at = position(slots[slot]);
      ring.putByte(at, STATE, ring.getByte(at, STATE) & ~PREFETCHING);
    }
  }

  /** Removes every entry for the name whose canonical wire form is given; returns how many. */
  synchronized int remove(byte[] canonicalName) {
    int removed = 0;
    int i = 0;
    while (i < slots.length) {
      long locator = slots[i];
      if (locator != EMPTY && CacheKey.hasName(
          ring(locator).array(position(locator)), ring(locator).offset(position(locator)) + HEADER, canonicalName)) {
        remove(i); // a later entry may have moved into slot i: look at it again
        removed++;
      } else {
        i++;
      }
    }
    return removed;
  }

  /** Removes the entries no longer kept (neither fresh nor retained for serve-stale). */
  synchronized void removeExpired(long now) {
    int i = 0;
    while (i < slots.length) {
      long locator = slots[i];
      if (locator != EMPTY && now >= ring(locator).getLong(position(locator), KEEP)) {
        remove(i);
      } else {
        i++;
      }
    }
  }

  synchronized void clear() {
    Arrays.fill(slots, EMPTY);
    small.clear();
    main.clear();
    count = 0;
    smallCount = 0;
  }

  synchronized int size() {
    return count;
  }

  /** S3-FIFO: the small ring gives way while it holds a tenth of the entries or more. */
  private void evictOne(long now) {
    if (smallCount > 0 && (smallCount * 10L >= maxEntries || smallCount == count)) {
      evictSmall(now, false);
    } else {
      evictMain(now);
    }
  }

  /**
   * The small ring's oldest record leaves: to the main ring if it was hit and is still kept, else out.
   * With {@code keepIfRoom} (the small ring needs bytes, not the segment an entry) one not hit moves
   * too while the main ring has room for it as it is: a cache that is not full keeps what it was given.
   */
  private void evictSmall(long now, boolean keepIfRoom) {
    long at = oldestLive(small);
    if (at < 0) {
      return;
    }
    int length = small.getInt(at, LENGTH);
    int state = small.getByte(at, STATE);
    int hash = small.getInt(at, HASH);
    boolean kept = now < small.getLong(at, KEEP);
    if (!kept || (state >>> RECENT_SHIFT == 0 && !(keepIfRoom && main.fits(length)))) {
      remove(slotOf(hash, at));
      small.release(length);
      countEviction(kept);
      return;
    }
    while (!main.fits(length)) {
      evictMain(now);
    }
    long to = main.append(length); // the small ring is untouched meanwhile: copy straight across
    main.write(to, 0, small.array(at), small.offset(at), length);
    main.putByte(to, STATE, withRecent(state, 0));
    slots[slotOf(hash, at)] = to | IN_MAIN; // looked up again: evictions in the main ring shift slots
    small.release(length);
    smallCount--;
  }

  /** The main ring's oldest record goes round again if hit since it last did (and still kept), else out. */
  private void evictMain(long now) {
    long at = oldestLive(main);
    if (at < 0) {
      return;
    }
    int length = main.getInt(at, LENGTH);
    int state = main.getByte(at, STATE);
    int hash = main.getInt(at, HASH);
    int slot = slotOf(hash, at | IN_MAIN);
    int recent = state >>> RECENT_SHIFT;
    boolean kept = now < main.getLong(at, KEEP);
    if (recent == 0 || !kept) {
      remove(slot);
      main.release(length);
      countEviction(kept);
      return;
    }
    byte[] record = copyToScratch(main, at, length);
    main.release(length);
    // The head's free run now ends where the released record ended, in that record's array: after any
    // skip to the start of an array there are still at least as many free bytes as the record has.
    if (!main.fits(length)) {
      throw new IllegalStateException("a record going round did not fit where it left room");
    }
    long to = main.append(length);
    main.write(to, 0, record, 0, length);
    main.putByte(to, STATE, withRecent(state, recent - 1));
    slots[slot] = to | IN_MAIN;
  }

  /** The ring's oldest record still indexed, after letting the dead ones before it go; -1 when none is left. */
  private static long oldestLive(Ring ring) {
    for (long at = ring.oldest(); at >= 0; at = ring.oldest()) {
      if ((ring.getByte(at, STATE) & DEAD) == 0) {
        return at;
      }
      ring.release(ring.getInt(at, LENGTH));
    }
    return -1;
  }

  /** Counts only answers pushed out for room: expired ones leaving are not evictions here (Caffeine counted them). */
  private void countEviction(boolean kept) {
    if (kept) {
      evictions.increment();
    }
  }

  /** Looks at the next few index slots and removes the expired entries there. */
  private void sweepExpired(long now) {
    for (int step = 0; step < SWEEP_STEPS; step++) {
      sweep = (sweep + 1) & mask;
      long locator = slots[sweep];
      if (locator != EMPTY && now >= ring(locator).getLong(position(locator), KEEP)) {
        remove(sweep);
        sweep = (sweep - 1) & mask; // an entry may have moved into the freed slot
      }
    }
  }

  private byte[] copyToScratch(Ring ring, long at, int length) {
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    ring.read(at, 0, scratch, 0, length);
    return scratch;
  }

  private int find(CacheKey key) {
    int hash = key.hashCode();
    for (int i = hash & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
      if (hashes[i] == hash) {
        Ring ring = ring(slots[i]);
        long at = position(slots[i]);
        if (key.matches(ring.array(at), ring.offset(at) + HEADER, ring.getShort(at, KEY_LENGTH))) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The slot that points at {@code locator}: every live record has one. */
  private int slotOf(int hash, long locator) {
    int i = hash & mask;
    while (slots[i] != locator) {
      if (slots[i] == EMPTY) {
        throw new IllegalStateException("a live cache record has no index slot");
      }
      i = (i + 1) & mask;
    }
    return i;
  }

  private void insert(int hash, long locator) {
    int i = hash & mask;
    while (slots[i] != EMPTY) {
      i = (i + 1) & mask;
    }
    slots[i] = locator;
    hashes[i] = hash;
  }

  /** Marks the slot's record dead and frees the slot, shifting back the entries that probed past it. */
  private void remove(int slot) {
    long locator = slots[slot];
    Ring ring = ring(locator);
    long at = position(locator);
    ring.putByte(at, STATE, ring.getByte(at, STATE) | DEAD);
    count--;
    if (ring == small) {
      smallCount--;
    }
    int hole = slot;
    for (int i = (hole + 1) & mask; slots[i] != EMPTY; i = (i + 1) & mask) {
      int home = hashes[i] & mask;
      boolean between = hole <= i ? hole < home && home <= i : hole < home || home <= i;
      if (!between) {
        slots[hole] = slots[i];
        hashes[hole] = hashes[i];
        hole = i;
      }
    }
    slots[hole] = EMPTY;
  }

  private Ring ring(long locator) {
    return (locator & IN_MAIN) != 0 ? main : small;
  }

  private static long position(long locator) {
    return locator & ~IN_MAIN;
  }

  private static int withRecent(int state, int recent) {
    return (state & ((1 << RECENT_SHIFT) - 1)) | recent << RECENT_SHIFT;
  }

  private static byte[] utf8(String text) {
    return text == null ? NO_BYTES : text.getBytes(StandardCharsets.UTF_8);
  }
}
