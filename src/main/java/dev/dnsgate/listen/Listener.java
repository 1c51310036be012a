package dev.dnsgate.listen;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * One bound endpoint that takes queries from clients and hands them to the pipeline: UDP and TCP
 * today; a DoT or DoH listener is one more implementation, added to the list in {@link DnsListeners}.
 */
public interface Listener {

  /** Stops taking new queries; answers to those already taken can still be sent. */
  void stopAccepting();

  /** Closes the sockets. */
  Uni<Void> close();

  /** Registers this listener's own meters (connections, refusals, kernel drops). */
  void registerMeters(MeterRegistry registry);
}
