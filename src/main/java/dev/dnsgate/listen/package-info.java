/**
 * Where queries come in: UDP (a Netty channel on Vert.x's event loops) and TCP (RFC 7766, Vert.x), bound together on one address and port; caps, idle timeouts and graceful shutdown.
 */
package dev.dnsgate.listen;
