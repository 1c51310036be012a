/**
 * Start and stop order, stated once ({@code StartStop}): rules, warm-up, listeners, upstream connections;
 * on shutdown listeners drain before upstreams close.
 */
package dev.dnsgate.lifecycle;
