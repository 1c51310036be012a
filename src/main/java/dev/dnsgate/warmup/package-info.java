/**
 * JIT warm-up once the listeners are open (in the background): made-up queries through the forwarding code (decoding, a
 * cache, DoT to a loopback server with a throwaway certificate, shaping), none of it shared with the
 * running proxy.
 */
package dev.dnsgate.warmup;
