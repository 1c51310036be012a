/**
 * DNS over TLS to upstream resolvers (RFC 7858, RFC 8310 strict): verified pooled pipelined connections, groups with failover or fastest strategy, health and probes.
 */
package dev.dnsgate.upstream;
