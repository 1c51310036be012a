package dev.dnsgate.cache;

import dev.dnsgate.upstream.Validation;
import dev.dnsgate.wire.AnswerTemplate;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One cached answer, opaque outside the cache: its bytes as stored (TTLs clamped), when it was
 * stored and until when it is fresh and kept, and the templates made from it for each EDNS view of
 * client. The counters are fields, not Atomic objects: 100k entries, 32 bytes each.
 */
public final class CacheEntry {

  private static final AtomicIntegerFieldUpdater<CacheEntry> HITS =
      AtomicIntegerFieldUpdater.newUpdater(CacheEntry.class, "hits");
  private static final AtomicIntegerFieldUpdater<CacheEntry> PREFETCHING =
      AtomicIntegerFieldUpdater.newUpdater(CacheEntry.class, "prefetching");

  final byte[] wire;
  /** Where the TTLs are in {@link #wire}, which is never changed once stored: hits count down from them. */
  final int[] ttlOffsets;
  final long storedNanos;
  final long ttlSeconds;
  final long freshUntil;
  final long keepUntil;
  final int rcode;
  /** The wire form has no OPT record (and the answer no extended rcode): templates need no parsing. */
  final boolean plain;
  /** What DNSSEC validation made of the answer: hits report it without parsing. */
  final Validation validation;
  private volatile int hits;
  private volatile int prefetching;
  private volatile AnswerTemplate withEdns;
  private volatile AnswerTemplate withoutEdns;

  CacheEntry(byte[] wire, int[] ttlOffsets, long storedNanos, long ttlSeconds, long freshUntil, long keepUntil,
      int rcode, boolean plain, Validation validation) {
    this.wire = wire;
    this.ttlOffsets = ttlOffsets;
    this.storedNanos = storedNanos;
    this.ttlSeconds = ttlSeconds;
    this.freshUntil = freshUntil;
    this.keepUntil = keepUntil;
    this.rcode = rcode;
    this.plain = plain;
    this.validation = validation;
  }

  /** Counts a hit; returns the hits so far. */
  int hit() {
    return HITS.incrementAndGet(this);
  }

  /** Claims the entry's one prefetch; false when one is already running. */
  boolean startPrefetch() {
    return PREFETCHING.compareAndSet(this, 0, 1);
  }

  void prefetchDone() {
    prefetching = 0;
  }

  AnswerTemplate template(boolean edns) {
    return edns ? withEdns : withoutEdns;
  }

  void keep(boolean edns, AnswerTemplate template) {
    if (edns) {
      withEdns = template;
    } else {
      withoutEdns = template;
    }
  }
}
