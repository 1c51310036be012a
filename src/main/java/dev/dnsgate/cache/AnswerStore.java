package dev.dnsgate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.xbill.DNS.Name;

/**
 * Where entries live: Caffeine, bounded by bytes (and so by count), each entry removed when its own
 * keep-until time passes. Knows nothing of DNS beyond the key's name (for a flush by name).
 */
final class AnswerStore {

  /** Fixed per-entry cost on top of the wire bytes, for the memory bound. */
  static final int ENTRY_OVERHEAD = 200;

  private final NanoClock clock;
  private final Cache<CacheKey, CacheEntry> entries;

  AnswerStore(long maxEntries, long maxBytes, NanoClock clock) {
    this.clock = clock;
    long minWeight = Math.max(1, maxBytes / Math.max(1, maxEntries));
    this.entries = Caffeine.newBuilder()
        .ticker(clock::nanos)
        // Eviction work runs on the thread that inserts: handing it to the common pool cost a
        // thread hop per insert and starved on 2 busy cores (forward-unique 64k -> see BENCHMARKS.md).
        .executor(Runnable::run)
        .maximumWeight(maxBytes)
        // every entry weighs at least maxBytes/maxEntries, so the entry count is bounded too
        .weigher((CacheKey k, CacheEntry e) -> (int) Math.max(minWeight, e.wire.length + ENTRY_OVERHEAD))
        .expireAfter(new Expiry<CacheKey, CacheEntry>() {
          @Override
          public long expireAfterCreate(CacheKey key, CacheEntry entry, long now) {
            return Math.max(0, entry.keepUntil - now);
          }

          @Override
          public long expireAfterUpdate(CacheKey key, CacheEntry entry, long now, long current) {
            return Math.max(0, entry.keepUntil - now);
          }

          @Override
          public long expireAfterRead(CacheKey key, CacheEntry entry, long now, long current) {
            return current;
          }
        })
        .recordStats()
        .build();
  }

  /** The entry, fresh or kept for serve-stale, or null. */
  CacheEntry get(CacheKey key) {
    return entries.getIfPresent(key);
  }

  /** The entry while it is fresh, or null. */
  CacheEntry fresh(CacheKey key) {
    CacheEntry entry = entries.getIfPresent(key);
    return entry == null || clock.nanos() >= entry.freshUntil ? null : entry;
  }

  void put(CacheKey key, CacheEntry entry) {
    entries.put(key, entry);
  }

  Cache<CacheKey, ?> caffeine() {
    return entries;
  }

  void clear() {
    entries.invalidateAll();
  }

  /** Removes every entry for {@code name}, all types and groups; returns how many. */
  int remove(Name name) {
    int[] removed = {0};
    byte[] canonical = name.toWireCanonical();
    entries.asMap().keySet().removeIf(k -> {
      boolean match = k.hasName(canonical);
      removed[0] += match ? 1 : 0;
      return match;
    });
    return removed[0];
  }

  long size() {
    return entries.estimatedSize();
  }

  void cleanUp() {
    entries.cleanUp();
  }
}
