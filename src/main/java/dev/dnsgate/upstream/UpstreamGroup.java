package dev.dnsgate.upstream;

import dev.dnsgate.config.DnsgateConfig.Upstream.Strategy;
import dev.dnsgate.loops.EventLoops;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A set of DoT and DoH servers used as one, in any mix: the strategy orders them per query, a failed attempt moves on to
 * the next server, and all attempts together stay within the total timeout. Servers marked down are
 * tried only after every healthy one, so a query is never refused just because health is stale.
 */
public final class UpstreamGroup implements Upstream {

  /** Every this many queries the fastest strategy tries the runner-up, to keep its average current. */
  private static final int EXPLORE_EVERY = 64;

  private final NetClient client;
  private final List<GroupServer> upstreams;
  private final Strategy strategy;
  private final long attemptTimeoutMs;
  private final long totalTimeoutNanos;
  private final boolean padding;
  private final AtomicLong queries = new AtomicLong();

  public UpstreamGroup(Vertx vertx, EventLoops loops, UpstreamSettings settings) {
    this.client = vertx.createNetClient(clientOptions(settings));
    this.upstreams =
        settings.servers().stream().map(s -> s.isDoh()
            ? (GroupServer) new DohUpstream(vertx, s, settings)
            : new DotUpstream(vertx, loops, client, s, settings)).toList();
    this.strategy = settings.strategy();
    this.attemptTimeoutMs = settings.attemptTimeout().toMillis();
    this.totalTimeoutNanos = settings.totalTimeout().toNanos();
    this.padding = settings.padding();
  }

  /** TLS as RFC 8310's strict profile asks: verified chain, verified name, TLS 1.2 or newer. */
  static NetClientOptions clientOptions(UpstreamSettings settings) {
    NetClientOptions options =
        new NetClientOptions()
            .setSsl(true)
            .setHostnameVerificationAlgorithm("HTTPS")
            .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
            .setTcpNoDelay(true)
            .setSslEngineOptions(settings.tlsProvider().engine("dnsgate.upstream.tls-provider"))
            .setConnectTimeout((int) settings.attemptTimeout().toMillis())
            .setSslHandshakeTimeout(settings.attemptTimeout().toMillis())
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    settings
        .caFile()
        .ifPresent(
            file -> {
              if (!Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException(
                    "dnsgate.upstream.ca-file: cannot read '" + file + "'");
              }
              options.setTrustOptions(new PemTrustOptions().addCertPath(file));
            });
    return options;
  }

  @Override
  public boolean padding() {
    return padding;
  }

  /** Resolves through the servers in strategy order; fails only when every attempt has failed. */
  @Override
  public CompletableFuture<UpstreamAnswer> resolve(OutboundQuery query) {
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    attempt(query, order(), 0, System.nanoTime() + totalTimeoutNanos, result, null);
    return result;
  }

  private void attempt(
      OutboundQuery query,
      List<GroupServer> order,
      int index,
      long deadline,
      CompletableFuture<UpstreamAnswer> result,
      UpstreamException last) {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (index >= order.size() || leftMs <= 0) {
      result.completeExceptionally(
          last != null ? last : new UpstreamException(UpstreamException.Kind.TIMEOUT, "time budget spent"));
      return;
    }
    order
        .get(index)
        .exchange(query, Math.min(attemptTimeoutMs, leftMs))
        .whenComplete(
            (answer, error) -> {
              if (error == null) {
                result.complete(answer);
              } else {
                attempt(query, order, index + 1, deadline, result, UpstreamException.of(error));
              }
            });
  }

  List<GroupServer> order() {
    List<GroupServer> healthy = new ArrayList<>(upstreams.size());
    List<GroupServer> down = new ArrayList<>();
    for (GroupServer u : upstreams) {
      (u.isUp() ? healthy : down).add(u);
    }
    if (strategy == Strategy.FASTEST) {
      // Unmeasured servers sort first so that each gets measured.
      healthy.sort(Comparator.comparingDouble(u -> Double.isNaN(u.latencyMillis()) ? -1 : u.latencyMillis()));
      if (healthy.size() > 1 && queries.incrementAndGet() % EXPLORE_EVERY == 0) {
        healthy.add(0, healthy.remove(1));
      }
    }
    healthy.addAll(down);
    return healthy;
  }

  /**
   * Connects to every server now rather than on the first query: a cold JVM's first TLS handshake
   * took ~300 ms here, which the first clients would otherwise wait for.
   */
  public void connect() {
    upstreams.forEach(GroupServer::connect);
  }

  public List<GroupServer> upstreams() {
    return upstreams;
  }

  public void close() {
    upstreams.forEach(GroupServer::close);
    client.close();
  }
}
