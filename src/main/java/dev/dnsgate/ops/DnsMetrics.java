package dev.dnsgate.ops;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.upstream.DotUpstream;
import dev.dnsgate.upstream.UpstreamException;
import dev.dnsgate.upstream.UpstreamGroup;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * dnsgate's own meters on /q/metrics. Labels come from small fixed sets or from the operator's
 * configuration (upstream and rule names), never from what a client sends: a query name or client
 * address as a label would grow without bound (a peer had CVEs from exactly that).
 */
// @Singleton, not @ApplicationScoped: called on every query, and a client proxy looks the instance
// up in its context on each call (~5 % of forward-path samples across the per-query beans).
@Singleton
public class DnsMetrics {

  /** Query types that get their own label; every other type counts as "other". */
  static final Set<Integer> NAMED_TYPES = Set.of(Type.A, Type.AAAA, Type.CNAME, Type.MX, Type.TXT, Type.NS,
      Type.SOA, Type.PTR, Type.SRV, Type.HTTPS, Type.SVCB, Type.DS, Type.DNSKEY, Type.CAA, Type.ANY, Type.NAPTR);

  /** Source labels in a fixed order, so that a counter is found by index on the hot path. */
  static final List<String> SOURCES = List.of(Answer.UPSTREAM, Answer.CACHE, Answer.STALE, Answer.REWRITTEN,
      Answer.BLOCKED, Answer.LOCAL, Answer.FAILED, Answer.REFUSED, Answer.TRUNCATED, Answer.ANY);
  private static final List<Integer> TYPES = NAMED_TYPES.stream().sorted().toList();
  private static final int RCODES = 24;

  private final MeterRegistry registry;
  /** One slot per (transport, type, rcode, source), filled on first use: no string building per query. */
  private final AtomicReferenceArray<Counter> queries =
      new AtomicReferenceArray<>(2 * (TYPES.size() + 1) * (RCODES + 1) * (SOURCES.size() + 1));
  private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
  private final Map<Transport, Timer> latency = new ConcurrentHashMap<>();

  private final Counter malformed;

  public DnsMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.malformed = Counter.builder("dnsgate.packets.malformed")
        .description("Queries answered with FORMERR, NOTIMP or BADVERS").register(registry);
  }

  /** One answered query: counted by transport, type, rcode and source, timed by transport. */
  public void answered(Transport transport, int type, int rcode, String source, long nanos) {
    int typeIndex = TYPES.indexOf(type);
    int rcodeIndex = Math.min(rcode, RCODES);
    int sourceIndex = SOURCES.indexOf(source);
    int slot = ((transport.ordinal() * (TYPES.size() + 1) + typeIndex + 1) * (RCODES + 1) + rcodeIndex)
        * (SOURCES.size() + 1) + sourceIndex + 1;
    Counter counter = queries.get(slot);
    if (counter == null) {
      counter = Counter.builder("dnsgate.queries")
          .description("Queries answered, by transport, query type, response code and answer source")
          .tag("transport", transport.name().toLowerCase())
          .tag("type", typeIndex < 0 ? "other" : Type.string(type))
          .tag("rcode", rcodeIndex == RCODES ? "other" : Rcode.string(rcode))
          .tag("source", sourceIndex < 0 ? "other" : source)
          .register(registry); // registering again returns the same meter, so a race is harmless
      queries.set(slot, counter);
    }
    counter.increment();
    latency.computeIfAbsent(transport, t -> Timer.builder("dnsgate.query.duration")
        .description("Time from a query's arrival to its answer")
        .tag("transport", t.name().toLowerCase())
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A packet that got no answer: unreadable, a response, a denied client, over its rate. */
  public void dropped(String reason) {
    dropped.computeIfAbsent(reason, r -> Counter.builder("dnsgate.packets.dropped")
        .description("Packets that got no answer, by reason").tag("reason", r).register(registry)).increment();
  }

  /** A query with a readable header but a broken or unsupported body: FORMERR, NOTIMP or BADVERS sent. */
  public void malformed() {
    malformed.increment();
  }

  /** Upstream state: up/down, connections, answers discarded (spoofing defence), failures by kind. */
  void bindUpstreams(@Observes StartupEvent event, QueryPipeline pipeline, QueryLog queryLog,
      DnsListeners listeners) {
    Gauge.builder("dnsgate.tcp.connections", listeners, DnsListeners::openTcpConnections)
        .description("Client TCP connections open").register(registry);
    FunctionCounter.builder("dnsgate.tcp.refused", listeners, DnsListeners::refusedTcpConnections)
        .description("Client TCP connections closed at once: total or per-client cap reached").register(registry);
    FunctionCounter.builder("dnsgate.tcp.budget_closes", listeners, DnsListeners::tcpBudgetCloses)
        .description("Client TCP connections closed after max-queries-per-connection queries")
        .register(registry);
    FunctionCounter.builder("dnsgate.tcp.read_timeouts", listeners, DnsListeners::tcpReadTimeouts)
        .description("Client TCP connections closed because a message did not arrive in full in time")
        .register(registry);
    FunctionCounter.builder("dnsgate.udp.kernel_drops", listeners, l -> KernelUdpDrops.forPort(l.port()))
        .description("Datagrams the kernel dropped on the listening socket (buffer full: load shed)")
        .register(registry);
    pipeline.groups().forEach((group, upstreams) -> bind(group, upstreams));
    FunctionCounter.builder("dnsgate.queries.coalesced", pipeline.coalescer(), c -> c.joinedQueries())
        .description("Cache misses that waited for an identical query's upstream exchange").register(registry);
    Gauge.builder("dnsgate.queries.in_flight", pipeline, QueryPipeline::inFlight)
        .description("Queries received and not yet answered").register(registry);
    FunctionCounter.builder("dnsgate.query_log.dropped", queryLog, QueryLog::droppedLines)
        .description("Query-log lines dropped because the writer fell behind").register(registry);
  }

  private void bind(String group, UpstreamGroup upstreams) {
    for (DotUpstream u : upstreams.upstreams()) {
      String name = u.server().label();
      Gauge.builder("dnsgate.upstream.up", u, x -> x.isUp() ? 1 : 0).description("1 while the upstream is healthy")
          .tag("upstream", name).tag("group", group).register(registry);
      Gauge.builder("dnsgate.upstream.connections", u, DotUpstream::openConnections)
          .description("Established TLS connections").tag("upstream", name).tag("group", group).register(registry);
      Gauge.builder("dnsgate.upstream.in_flight", u, DotUpstream::inFlight)
          .description("Queries sent and not yet answered (bounded by connections-per-server x max-in-flight)")
          .tag("upstream", name).tag("group", group).register(registry);
      FunctionCounter.builder("dnsgate.upstream.connects", u, x -> x.stats().connects())
          .description("TLS connections opened (reconnects included)").tag("upstream", name).tag("group", group)
          .register(registry);
      FunctionCounter.builder("dnsgate.upstream.discarded", u, x -> x.stats().discardedTotal())
          .description("Answers discarded: unknown ID, other question, unparseable")
          .tag("upstream", name).tag("group", group).register(registry);
      for (UpstreamException.Kind kind : UpstreamException.Kind.values()) {
        FunctionCounter.builder("dnsgate.upstream.failures", u, x -> x.stats().failures(kind))
            .description("Failed attempts by kind (tls = certificate, name or handshake errors)")
            .tag("upstream", name).tag("group", group).tag("kind", kind.name().toLowerCase()).register(registry);
      }
      Timer timer = Timer.builder("dnsgate.upstream.duration").description("Upstream answer time")
          .tag("upstream", name).tag("group", group)
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry);
      u.stats().onLatency(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
    }
  }
}
