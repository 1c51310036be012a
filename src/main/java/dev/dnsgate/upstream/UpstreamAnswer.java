package dev.dnsgate.upstream;

import dev.dnsgate.wire.ReusableWire;
import java.io.IOException;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.TcpKeepaliveOption;

/**
 * An upstream's answer as received, and parsed: the cache keeps the bytes (no re-encoding), the rest
 * of the proxy reads the message. Bytes that {@link ReusableWire} vouched for are parsed only when
 * someone asks for the message: a forwarded answer that is cached and served from its bytes never is
 * (parsing was a third of the garbage each forwarded query made; BENCHMARKS.md, Latency). Shared by
 * every query coalesced onto one exchange, so neither the bytes nor the message may be changed: copy
 * first.
 */
public final class UpstreamAnswer {

  private final byte[] wire;
  private final ReusableWire.Reusable reusable;
  private final boolean walkFailed;
  private final Validation validation;
  private volatile Message message;

  /** An answer no validator has seen. */
  public UpstreamAnswer(Message message, byte[] wire) {
    this(message, wire, Validation.UNCHECKED);
  }

  /**
   * @param message the parsed answer
   * @param wire the bytes received (bytes 0-1 hold the connection's own ID, not a client's)
   * @param validation what DNSSEC validation found, {@link Validation#UNCHECKED} without it
   */
  public UpstreamAnswer(Message message, byte[] wire, Validation validation) {
    this(message, wire, null, false, validation);
  }

  private UpstreamAnswer(
      Message message, byte[] wire, ReusableWire.Reusable reusable, boolean walkFailed, Validation validation) {
    this.message = message;
    this.wire = wire;
    this.reusable = reusable;
    this.walkFailed = walkFailed;
    this.validation = validation;
  }

  /**
   * The answer in bytes received from an upstream: unparsed when ReusableWire can vouch for them, else
   * parsed; null when they do not parse.
   */
  public static UpstreamAnswer received(byte[] wire) {
    ReusableWire.Reusable reusable = ReusableWire.check(wire);
    if (reusable != null) {
      return new UpstreamAnswer(null, wire, reusable, false, Validation.UNCHECKED);
    }
    try {
      return new UpstreamAnswer(new Message(wire), wire, null, true, Validation.UNCHECKED);
    } catch (IOException | RuntimeException e) {
      return null; // dnsjava throws unchecked exceptions too (an RRSIG whose original TTL is over 2^31-1)
    }
  }

  /** The parsed answer. */
  public Message message() {
    Message parsed = message;
    if (parsed == null) {
      try {
        parsed = new Message(wire);
      } catch (IOException e) {
        throw new IllegalStateException("bytes ReusableWire vouched for did not parse", e);
      }
      message = parsed; // a race parses twice at worst: the messages are equal and never changed
    }
    return parsed;
  }

  /**
   * The same answer with what DNSSEC validation made of it: the bytes, the parsed message and what
   * the walk over the bytes found are shared, so the cache keeps the bytes without walking them again.
   */
  public UpstreamAnswer withValidation(Validation validation) {
    return validation == this.validation ? this : new UpstreamAnswer(message, wire, reusable, walkFailed, validation);
  }

  public byte[] wire() {
    return wire;
  }

  public Validation validation() {
    return validation;
  }

  /** What the walk over the bytes found, when they were vouched for before parsing; else null. */
  public ReusableWire.Reusable reusable() {
    return reusable;
  }

  /**
   * True when ReusableWire already walked these bytes (on arrival, {@link #received}) and could not
   * vouch for them (e.g. a record type it does not know): walking them again, as the cache would,
   * finds the same. False when they were vouched for, or never walked.
   */
  public boolean walkFailed() {
    return walkFailed;
  }

  /** The server's edns-tcp-keepalive timeout in units of 100 ms (RFC 7828), -1 when it sent none. */
  int idleTimeout() {
    if (reusable != null) {
      return reusable.idleTimeout();
    }
    OPTRecord opt = message().getOPT();
    int timeout = -1;
    if (opt != null) {
      for (EDNSOption option : opt.getOptions()) {
        if (option instanceof TcpKeepaliveOption keepalive && keepalive.getTimeout().isPresent()) {
          timeout = keepalive.getTimeout().getAsInt();
        }
      }
    }
    return timeout;
  }
}
