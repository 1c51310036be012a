package dev.dnsgate.cache;

import dev.dnsgate.upstream.Validation;

/**
 * One cached answer as read from (or written to) the store, opaque outside the cache: its bytes
 * (TTLs clamped), where their TTLs are, when it was stored, until when it is fresh and kept, and how
 * often it was hit when read. A copy: the store keeps its own bytes, so that its arrays can be reused.
 */
public final class CacheEntry {

  /** Never changed once stored: clients get copies. */
  final byte[] wire;
  /** Where the TTLs are in {@link #wire}: hits count down from them. */
  final int[] ttlOffsets;
  final long storedNanos;
  final long ttlSeconds;
  final long freshUntil;
  final long keepUntil;
  final int rcode;
  /** The wire form has no OPT record (and the answer no extended rcode): hits need no parsing. */
  final boolean plain;
  /** What DNSSEC validation made of the answer: hits report it without parsing. */
  final Validation validation;
  /** Hits counted when this copy was read, this one included. */
  final int hits;

  CacheEntry(byte[] wire, int[] ttlOffsets, long storedNanos, long ttlSeconds, long freshUntil, long keepUntil,
      int rcode, boolean plain, Validation validation, int hits) {
    this.wire = wire;
    this.ttlOffsets = ttlOffsets;
    this.storedNanos = storedNanos;
    this.ttlSeconds = ttlSeconds;
    this.freshUntil = freshUntil;
    this.keepUntil = keepUntil;
    this.rcode = rcode;
    this.plain = plain;
    this.validation = validation;
    this.hits = hits;
  }
}
