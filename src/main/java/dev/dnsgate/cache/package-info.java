/**
 * The answer cache and coalescing of identical misses: {@code CachePolicy} decides lifetimes (TTL countdown,
 * negative caching, serve-stale, prefetch), {@code AnswerStore} keeps entries (Caffeine, bounded by bytes),
 * {@link dev.dnsgate.cache.AnswerCache} serves them through {@link dev.dnsgate.wire.AnswerTemplate}s.
 */
package dev.dnsgate.cache;
