package dev.dnsgate.ops;

import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.upstream.DotUpstream;
import dev.dnsgate.upstream.UpstreamGroup;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * dnsgate's own meters on /q/metrics. Labels come from small fixed sets or from the operator's
 * configuration (upstream and rule names), never from what a client sends: a query name or client
 * address as a label would grow without bound (a peer had CVEs from exactly that).
 */
@ApplicationScoped
public class DnsMetrics {

  /** Query types that get their own label; every other type counts as "other". */
  static final Set<Integer> NAMED_TYPES = Set.of(Type.A, Type.AAAA, Type.CNAME, Type.MX, Type.TXT, Type.NS,
      Type.SOA, Type.PTR, Type.SRV, Type.HTTPS, Type.SVCB, Type.DS, Type.DNSKEY, Type.CAA, Type.ANY, Type.NAPTR);

  private final MeterRegistry registry;
  private final Map<String, Counter> queries = new ConcurrentHashMap<>();
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
    String typeLabel = NAMED_TYPES.contains(type) ? Type.string(type) : "other";
    String key = transport + "|" + typeLabel + "|" + rcode + "|" + source;
    queries.computeIfAbsent(key, k -> Counter.builder("dnsgate.queries")
        .description("Queries answered, by transport, query type, response code and answer source")
        .tag("transport", transport.name().toLowerCase()).tag("type", typeLabel)
        .tag("rcode", Rcode.string(rcode)).tag("source", source)
        .register(registry)).increment();
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
  void bindUpstreams(@Observes StartupEvent event, QueryPipeline pipeline, QueryLog queryLog) {
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
      FunctionCounter.builder("dnsgate.upstream.connects", u, x -> x.stats().connects())
          .description("TLS connections opened (reconnects included)").tag("upstream", name).tag("group", group)
          .register(registry);
      FunctionCounter.builder("dnsgate.upstream.discarded", u, x -> x.stats().discardedTotal())
          .description("Answers discarded: unknown ID, other question, unparseable")
          .tag("upstream", name).tag("group", group).register(registry);
      for (dev.dnsgate.upstream.UpstreamException.Kind kind : dev.dnsgate.upstream.UpstreamException.Kind.values()) {
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
