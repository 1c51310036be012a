package dev.dnsgate.ops;

import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.AnswerSource;
import dev.dnsgate.resolve.QueryObserver;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The per-query meters on /q/metrics: answers by transport, type, rcode and source, answer time by
 * transport, packets dropped and malformed. Labels come from small fixed sets, never from what a
 * client sends: a query name or client address as a label would grow without bound (a peer had CVEs
 * from exactly that). Listeners, upstreams, the cache and the query log register their own meters.
 */
// @Singleton, not @ApplicationScoped: called on every query, and a client proxy looks the instance
// up in its context on each call (~5 % of forward-path samples across the per-query beans).
@Singleton
public class DnsMetrics implements QueryObserver {

  /** Query types that get their own label; every other type counts as "other". */
  static final Set<Integer> NAMED_TYPES = Set.of(Type.A, Type.AAAA, Type.CNAME, Type.MX, Type.TXT, Type.NS,
      Type.SOA, Type.PTR, Type.SRV, Type.HTTPS, Type.SVCB, Type.DS, Type.DNSKEY, Type.CAA, Type.ANY, Type.NAPTR);

  private static final List<Integer> TYPES = NAMED_TYPES.stream().sorted().toList();
  private static final int RCODES = 24;
  private static final int SOURCES = AnswerSource.values().length;

  private final MeterRegistry registry;
  /**
   * One slot per (transport, type, rcode, source), filled on first use: no string building per query.
   * Sized from the enums, so that a new transport or source needs no change here.
   */
  private final AtomicReferenceArray<Counter> queries =
      new AtomicReferenceArray<>(Transport.values().length * (TYPES.size() + 1) * (RCODES + 1) * SOURCES);
  private final Map<Drop, Counter> dropped = new EnumMap<>(Drop.class);
  private final Map<Transport, Timer> latency = new EnumMap<>(Transport.class);
  private final Counter malformed;

  public DnsMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.malformed = Counter.builder("dnsgate.packets.malformed")
        .description("Queries answered with FORMERR, NOTIMP or BADVERS").register(registry);
    for (Drop reason : Drop.values()) {
      dropped.put(reason, Counter.builder("dnsgate.packets.dropped")
          .description("Packets that got no answer, by reason").tag("reason", reason.label()).register(registry));
    }
    for (Transport transport : Transport.values()) {
      latency.put(transport, Timer.builder("dnsgate.query.duration")
          .description("Time from a query's arrival to its answer")
          .tag("transport", transport.name().toLowerCase())
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry));
    }
  }

  /** One answered query: counted by transport, type, rcode and source, timed by transport. */
  @Override
  public void answered(QueryContext ctx, Answer answer, long nanos) {
    Transport transport = ctx.transport();
    int type = ctx.question().getType();
    int rcode = answer.rcode();
    int typeIndex = TYPES.indexOf(type);
    int rcodeIndex = Math.min(rcode, RCODES);
    AnswerSource source = answer.source();
    int slot = ((transport.ordinal() * (TYPES.size() + 1) + typeIndex + 1) * (RCODES + 1) + rcodeIndex)
        * SOURCES + source.ordinal();
    Counter counter = queries.get(slot);
    if (counter == null) {
      counter = Counter.builder("dnsgate.queries")
          .description("Queries answered, by transport, query type, response code and answer source")
          .tag("transport", transport.name().toLowerCase())
          .tag("type", typeIndex < 0 ? "other" : Type.string(type))
          .tag("rcode", rcodeIndex == RCODES ? "other" : Rcode.string(rcode))
          .tag("source", source.label())
          .register(registry); // registering again returns the same meter, so a race is harmless
      queries.set(slot, counter);
    }
    counter.increment();
    latency.get(transport).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void dropped(Drop reason) {
    dropped.get(reason).increment();
  }

  @Override
  public void malformed() {
    malformed.increment();
  }
}
