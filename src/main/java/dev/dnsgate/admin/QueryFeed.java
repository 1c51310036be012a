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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Feeds the statistics and the recent-queries ring from the query path. On the event loop an answer
 * costs one small {@link Seen} and an offer to a bounded queue; names become text, clients are
 * anonymised and everything is counted on the feed's own thread. A full queue drops (and counts)
 * rather than slowing queries down.
 */
// @Singleton, not @ApplicationScoped: called on every query (see QueryPipeline).
@Singleton
public class QueryFeed implements QueryObserver {

  private static final int BATCH = 512;

  private final boolean enabled;
  private final boolean anonymize;
  private final BlockingQueue<Seen> queue;
  private final TrafficStats stats;
  private final RecentQueries recent;
  private final LongAdder dropped = new LongAdder();
  private final Thread worker;
  private volatile boolean running = true;

  public QueryFeed(DnsgateConfig config, MeterRegistry registry) {
    DnsgateConfig.Admin admin = config.admin();
    this.enabled = admin.enabled();
    this.anonymize = admin.anonymizeClients();
    this.queue = new ArrayBlockingQueue<>(Math.max(1, admin.stats().queue()));
    this.stats = new TrafficStats(admin.stats().window(), Math.max(1, admin.stats().buckets()),
        Math.max(1, admin.stats().sketchSize()));
    this.recent = new RecentQueries(Math.max(1, admin.recent().size()));
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
    if (!queue.offer(seen)) {
      dropped.increment();
    }
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

  private void drain() {
    List<Seen> batch = new ArrayList<>(BATCH);
    try {
      while (running) {
        Seen first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        batch.forEach(this::count);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void count(Seen seen) {
    String name = seen.name().toString(true).toLowerCase(Locale.ROOT);
    String client = seen.client() == null ? null : clientText(seen.client(), anonymize);
    stats.record(seen, name, client);
    recent.add(new RecentQueries.Entry(seen.epochMillis(), client, name, Type.string(seen.type()),
        seen.source().label(), seen.detail(), Rcode.string(seen.rcode()), seen.nanos() / 1e6));
  }

  /** The address, or with {@code anonymize} its network: the /24 of IPv4, the /48 of IPv6. */
  static String clientText(InetAddress client, boolean anonymize) {
    if (!anonymize) {
      return client.getHostAddress();
    }
    byte[] bytes = client.getAddress();
    int keep = bytes.length == 4 ? 3 : 6;
    for (int i = keep; i < bytes.length; i++) {
      bytes[i] = 0;
    }
    try {
      return InetAddress.getByAddress(bytes).getHostAddress() + (bytes.length == 4 ? "/24" : "/48");
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are an address", e);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    if (worker != null) {
      worker.interrupt();
    }
  }
}
