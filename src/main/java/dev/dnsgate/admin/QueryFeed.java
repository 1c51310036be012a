package dev.dnsgate.admin;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.QueryObserver;
import dev.dnsgate.wire.QueryContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Feeds the statistics and the recent-queries ring from the query path. On the event loop an answer
 * costs one small {@link Seen} and a lock-free offer to a bounded queue (the event loop never waits
 * for the draining thread); clients are anonymised and everything
 * is counted on the feed's own thread, and text is made only when an operator asks. A full queue
 * drops (and counts) rather than slowing queries down.
 */
// @Singleton, not @ApplicationScoped: called on every query (see QueryPipeline).
@Singleton
public class QueryFeed implements QueryObserver {

  /** How stale the statistics may be; the queue holds far more than arrives in this time. */
  private static final long DRAIN_EVERY_MS = 50;
  private static final int RELEASE_EVERY = 256;

  private final boolean enabled;
  private final boolean anonymize;
  /** Lock-free: an offer is a CAS or two, never a lock shared with the draining thread. */
  private final Queue<Seen> queue = new ConcurrentLinkedQueue<>();
  /** Bounds the queue; producers may overshoot it by one each, which is harmless. */
  private final AtomicInteger queued = new AtomicInteger();
  private final int capacity;
  private final TrafficStats stats;
  private final RecentQueries recent;
  private final LongAdder dropped = new LongAdder();
  private final Thread worker;
  private volatile boolean running = true;

  public QueryFeed(DnsgateConfig config, MeterRegistry registry) {
    DnsgateConfig.Admin admin = config.admin();
    this.enabled = admin.enabled();
    this.anonymize = admin.anonymizeClients();
    this.capacity = Math.max(1, admin.stats().queue());
    this.stats = new TrafficStats(admin.stats().window(), Math.max(1, admin.stats().buckets()),
        Math.max(1, admin.stats().sketchSize()), this::clientText);
    // allocated at start: only when someone can ask for it
    this.recent = new RecentQueries(enabled ? Math.max(1, admin.recent().size()) : 1);
    FunctionCounter.builder("dnsgate.admin.feed.dropped", dropped, LongAdder::sum)
        .description("Answers left out of the dashboard statistics because their thread fell behind")
        .register(registry);
    if (enabled) {
      worker = new Thread(this::drain, "dnsgate-admin-feed");
      worker.setDaemon(true);
      worker.start();
    } else {
      worker = null;
    }
  }

  @Override
  public void answered(QueryContext ctx, Answer answer, long nanos) {
    if (!enabled) {
      return;
    }
    Seen seen = new Seen(System.currentTimeMillis(), ctx.client(), ctx.question().getName(),
        ctx.question().getType(), answer.source(), answer.detail(), answer.rcode(), nanos);
    if (queued.get() >= capacity) {
      dropped.increment();
      return;
    }
    queued.incrementAndGet();
    queue.offer(seen);
  }

  TrafficStats stats() {
    return stats;
  }

  RecentQueries recent() {
    return recent;
  }

  long dropped() {
    return dropped.sum();
  }

  /**
   * Wakes on a fixed beat and takes what has queued up, rather than being woken for each answer: an
   * offer never has to wake a parked thread, which would cost the event loop a system call per query.
   */
  private void drain() {
    try {
      while (running) {
        int taken = 0;
        boolean any = false;
        for (Seen seen = queue.poll(); seen != null; seen = queue.poll()) {
          count(seen);
          any = true;
          if (++taken == RELEASE_EVERY) { // room for producers while a long stream is drained
            queued.addAndGet(-taken);
            taken = 0;
          }
        }
        queued.addAndGet(-taken);
        if (!any) {
          Thread.sleep(DRAIN_EVERY_MS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Kept as handed over: no text is made here, only when an operator asks. */
  private void count(Seen seen) {
    Seen kept = anonymize && seen.client() != null ? seen.withClient(network(seen.client())) : seen;
    stats.record(kept);
    recent.add(kept);
  }

  /** The /24 of an IPv4 address, the /48 of an IPv6 one: the full address is never stored. */
  static InetAddress network(InetAddress client) {
    byte[] bytes = client.getAddress();
    for (int i = bytes.length == 4 ? 3 : 6; i < bytes.length; i++) {
      bytes[i] = 0;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are an address", e);
    }
  }

  /** A stored client as shown: the address, or when anonymised the network it stands for. */
  String clientText(InetAddress client) {
    if (client == null) {
      return null;
    }
    return client.getHostAddress() + (!anonymize ? "" : client.getAddress().length == 4 ? "/24" : "/48");
  }

  /** A name as shown and searched: lower case, without the final dot. */
  static String nameText(Name name) {
    return name.toString(true).toLowerCase(Locale.ROOT);
  }

  static String typeText(Seen seen) {
    return Type.string(seen.type());
  }

  static String rcodeText(Seen seen) {
    return Rcode.string(seen.rcode());
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (worker != null) {
      worker.interrupt();
    }
  }
}
