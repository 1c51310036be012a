/**
 * DNS over TLS to upstream resolvers (RFC 7858, RFC 8310 strict). {@link dev.dnsgate.upstream.UpstreamGroups}
 * owns the configured groups; each group is an {@link dev.dnsgate.upstream.Upstream} (the interface a
 * validator or another transport plugs in through). Inside: a server's pooled pipelined connections
 * ({@code DotUpstream}, {@code DotConnection}), verified dialing ({@code TlsDialer}), answer matching
 * ({@code PendingQueries}), health and probes ({@code ServerHealth}).
 */
package dev.dnsgate.upstream;
