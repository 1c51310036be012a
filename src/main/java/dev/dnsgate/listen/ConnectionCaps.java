package dev.dnsgate.listen;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client connections of one stream listener (TCP, DoT, DoH), capped in total and per client address.
 * Each listener has its own caps and meters, named by its prefix ({@code dnsgate.tcp}, {@code
 * dnsgate.dot}, {@code dnsgate.doh}).
 */
final class ConnectionCaps {

  /** What {@link #admit} returns for a refused connection. */
  static final Runnable REFUSED = () -> {};

  private final int max;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();

  ConnectionCaps(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Counts a new connection from {@code client}; returns what to run when it closes, or {@link
   * #REFUSED} when a cap is reached (the caller closes the connection). A null client (a trusted
   * reverse proxy, which carries many clients) counts against the total cap only.
   */
  Runnable admit(InetAddress client) {
    AtomicInteger fromClient = client == null ? new AtomicInteger() : perClient.computeIfAbsent(client, c -> new AtomicInteger());
    // both counters move (no short-circuit), so that release always undoes both
    boolean over = open.incrementAndGet() > max
        | (fromClient.incrementAndGet() > maxPerClient && client != null);
    Runnable release = () -> {
      open.decrementAndGet();
      if (fromClient.decrementAndGet() <= 0 && client != null) {
        perClient.remove(client, fromClient);
      }
    };
    if (over) {
      refused.increment();
      release.run();
      return REFUSED;
    }
    return release;
  }

  void registerMeters(MeterRegistry registry, String prefix, String what) {
    Gauge.builder(prefix + ".connections", open, AtomicInteger::get)
        .description("Client " + what + " connections open").register(registry);
    FunctionCounter.builder(prefix + ".refused", refused, LongAdder::sum)
        .description("Client " + what + " connections closed at once: total or per-client cap reached")
        .register(registry);
  }
}
