package dev.dnsgate.upstream;

import org.xbill.DNS.Message;

/**
 * An upstream's answer, parsed and as received: the cache keeps the bytes (no re-encoding), the
 * rest of the proxy reads the message. Shared by every query coalesced onto one exchange, so
 * neither may be changed: copy first.
 *
 * @param message the parsed answer
 * @param wire the bytes received (bytes 0-1 hold the connection's own ID, not a client's)
 * @param validation what DNSSEC validation found, {@link Validation#UNCHECKED} without it
 */
public record UpstreamAnswer(Message message, byte[] wire, Validation validation) {

  /** An answer no validator has seen. */
  public UpstreamAnswer(Message message, byte[] wire) {
    this(message, wire, Validation.UNCHECKED);
  }
}
