package dev.dnsgate.upstream;

import java.util.concurrent.TimeUnit;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.TcpKeepaliveOption;

/**
 * How long one connection may stay idle by what its server said (RFC 7828 edns-tcp-keepalive): the
 * newest timeout the server sent replaces any earlier one. We close a second before it runs out (half
 * of it when shorter), so that we, not the server, end an idle connection and no query is sent onto
 * one the server is closing.
 */
final class ServerIdleTimeout {

  private static final long MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** The newest answer; its option is read when idleness is checked, not per answer (4-6 % of the upstream loop). */
  private volatile Message newest;
  /** Touched only by {@link #allowedNanos}, which one timer calls: the answer last read, and its result. */
  private Message readFrom;
  private long allowedNanos = -1;

  void answered(Message answer) {
    newest = answer;
  }

  /** The idle time the server allows, or {@code defaultNanos} when it never said. */
  long allowedNanos(long defaultNanos) {
    Message answer = newest;
    if (answer != null && answer != readFrom) {
      readFrom = answer;
      OPTRecord opt = answer.getOPT();
      if (opt != null) {
        for (EDNSOption option : opt.getOptions()) {
          if (option instanceof TcpKeepaliveOption keepalive && keepalive.getTimeout().isPresent()) {
            long timeout = TimeUnit.MILLISECONDS.toNanos(keepalive.getTimeout().getAsInt() * 100L);
            allowedNanos = Math.max(timeout - MARGIN_NANOS, timeout / 2);
          }
        }
      }
    }
    return allowedNanos >= 0 ? allowedNanos : defaultNanos;
  }
}
