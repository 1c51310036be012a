/**
 * Where queries come in: each {@link dev.dnsgate.listen.Listener} is one bound endpoint, kept as a list in
 * {@link dev.dnsgate.listen.DnsListeners}. UDP (a Netty channel on Vert.x's event loops) and TCP (RFC 7766,
 * Vert.x) share one address and port; caps, idle timeouts and graceful shutdown.
 */
package dev.dnsgate.listen;
