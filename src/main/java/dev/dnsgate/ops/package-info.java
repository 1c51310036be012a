/**
 * What operators see: health checks, metrics, the query log, and the HTTP endpoints for rule explanations and cache flushes.
 */
package dev.dnsgate.ops;
