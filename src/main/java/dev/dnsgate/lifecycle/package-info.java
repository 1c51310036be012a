/**
 * Start and stop order, stated once ({@code StartStop}): upstream connections, rules, one full collection,
 * listeners, then the warm-up in the background; on shutdown listeners drain before upstreams close.
 */
package dev.dnsgate.lifecycle;
