/**
 * The answer cache (Caffeine, TTL countdown, negative caching, serve-stale, prefetch) and coalescing of identical misses.
 */
package dev.dnsgate.cache;
