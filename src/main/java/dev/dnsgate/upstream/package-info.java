/**
 * DNS over TLS (RFC 7858, RFC 8310 strict) and DNS over HTTPS (RFC 8484) to upstream resolvers. {@link dev.dnsgate.upstream.UpstreamGroups}
 * owns the configured groups; each group is an {@link dev.dnsgate.upstream.Upstream} (the interface a
 * validator or another transport plugs in through). Inside: a server's pooled pipelined connections
 * ({@code DotUpstream}, {@code DotConnection}) or HTTP/2 streams ({@code DohUpstream}), both a
 * {@code GroupServer} of a group sharing {@code HealthTrackedServer}, verified dialing ({@code TlsDialer}), answer matching
 * ({@code PendingQueries}), health and probes ({@code ServerHealth}).
 */
package dev.dnsgate.upstream;
