package dev.dnsgate.upstream;

import java.util.concurrent.TimeUnit;

/**
 * How long one connection may stay idle by what its server said (RFC 7828 edns-tcp-keepalive): the
 * newest timeout the server sent replaces any earlier one. We close a second before it runs out (half
 * of it when shorter), so that we, not the server, end an idle connection and no query is sent onto
 * one the server is closing.
 */
final class ServerIdleTimeout {

  private static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The newest answer; its option is read when idleness is checked, not per answer (4-6 % of the upstream loop). */
  private volatile UpstreamAnswer newest;
  /** Touched only by {@link #allowedNanos}, which one timer calls: the answer last read, and its result. */
  private UpstreamAnswer readFrom;
  private long allowedNanos = -1;

  void answered(UpstreamAnswer answer) {
    newest = answer;
  }

  /** The idle time the server allows, or {@code defaultNanos} when it never said. */
  long allowedNanos(long defaultNanos) {
    UpstreamAnswer answer = newest;
    if (answer != null && answer != readFrom) {
      readFrom = answer;
      int units = answer.idleTimeout();
      if (units >= 0) {
        long timeout = TimeUnit.MILLISECONDS.toNanos(units * 100L);
        allowedNanos = Math.max(timeout - MARGIN_NANOS, timeout / 2);
      }
    }
    return allowedNanos >= 0 ? allowedNanos : defaultNanos;
  }
}
