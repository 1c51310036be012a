package dev.dnsgate.upstream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Each upstream's meters: up/down, connections, queries in flight, answers discarded (the spoofing
 * defence), failures by kind, answer time. Labels are the operator's own group and server names.
 */
final class UpstreamMeters {

  private UpstreamMeters() {}

  static void register(MeterRegistry registry, String group, UpstreamGroup upstreams) {
    for (GroupServer u : upstreams.upstreams()) {
      String name = u.label();
      Gauge.builder("dnsgate.upstream.up", u, x -> x.isUp() ? 1 : 0).description("1 while the upstream is healthy")
          .tag("upstream", name).tag("group", group).register(registry);
      Gauge.builder("dnsgate.upstream.connections", u, GroupServer::openConnections)
          .description("Established TLS connections (DoH: HTTP/2 connections)").tag("upstream", name).tag("group", group).register(registry);
      Gauge.builder("dnsgate.upstream.in_flight", u, GroupServer::inFlight)
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
