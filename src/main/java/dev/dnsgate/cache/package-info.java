/**
 * The answer cache and coalescing of identical misses: {@code CachePolicy} decides lifetimes (TTL countdown,
 * negative caching, serve-stale, prefetch), {@code AnswerStore} keeps entries as records in a few large arrays
 * ({@code Segment}s of two {@code Ring}s each, S3-FIFO eviction, bounded by entries and bytes), and
 * {@link dev.dnsgate.cache.AnswerCache} serves copies patched for each client.
 */
package dev.dnsgate.cache;
