/**
 * Where queries come in: each {@link dev.dnsgate.listen.Listener} is one bound endpoint, kept as a list in
 * {@link dev.dnsgate.listen.DnsListeners}. UDP (a Netty channel on Vert.x's event loops) and TCP (RFC 7766,
 * Vert.x) share one address and port; DNS over TLS ({@code TcpListener} with {@code ServerTls}) and DNS
 * over HTTPS ({@code DohListener}) have their own, with one certificate renewed from its files; caps,
 * idle timeouts and graceful shutdown.
 */
package dev.dnsgate.listen;
