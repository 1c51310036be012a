/**
 * What operators see: the per-query metrics and the query log (both {@link dev.dnsgate.resolve.QueryObserver}s),
 * health checks, and the HTTP endpoints for rule explanations and cache flushes. Nothing in the data path
 * depends on this package.
 */
package dev.dnsgate.ops;
