package dev.dnsgate.upstream;

import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.upstream.UpstreamException.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One DoT server: a small pool of persistent connections and the server's {@link ServerHealth}.
 * Queries go to the least-loaded established connection; another connection opens when all are at
 * their in-flight cap. A server that health marks down is probed in the background until it
 * answers again.
 */
public final class DotUpstream extends HealthTrackedServer {

  /**
   * Another connection opens once the least-loaded one has this many queries outstanding, well
   * before the in-flight cap: each connection lives on one event loop, so spreading moderate load
   * over the pool spreads TLS work over the cores (one connection capped forward-unique at ~40k qps).
   * That needs loops to spread over: with Quarkus's one loop per core, a 2-core machine has a single
   * loop beside the listener's, and every connection lives on it (BENCHMARKS.md, "Where a miss's time goes").
   */
  private static final int SPREAD_AT = 8;
  /** How often idle connections are looked for: well inside the margin DotConnection keeps (1 s). */
  private static final long IDLE_CHECK_MILLIS = 250;

  private final EventLoops loops;
  private final TlsDialer dialer;
  private final List<DotConnection> pool = new CopyOnWriteArrayList<>();
  private final long idleTimer;

  DotUpstream(Vertx vertx, EventLoops loops, NetClient client, UpstreamServer server, UpstreamSettings settings) {
    super(vertx, server, settings);
    this.loops = loops;
    this.dialer = new TlsDialer(client, server, settings.pinsFor(server));
    long idleNanos = settings.idleTimeout().toNanos();
    this.idleTimer =
        vertx.setPeriodic(
            IDLE_CHECK_MILLIS,
            t -> pool.stream().filter(c -> c.idleLongerThan(idleNanos)).forEach(this::retire));
  }

  /**
   * Sends one query. A failure on a connection that had already carried answers may only mean the
   * server closed it while idle, so that case is retried once on a fresh connection.
   */
  @Override
  public CompletableFuture<UpstreamAnswer> exchange(OutboundQuery query, long timeoutMs) {
    long start = System.nanoTime();
    DotConnection connection = pick();
    if (connection == null) {
      UpstreamException full = new UpstreamException(Kind.SATURATED, "all connections at their cap");
      record(start, full);
      return CompletableFuture.failedFuture(full);
    }
    boolean stalePossible = connection.hasAnswered();
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    connection.exchange(query, timeoutMs).whenComplete((answer, error) -> {
      long left = timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (error != null && stalePossible && isClosedFailure(error) && left > 0) {
        retire(connection);
        open().exchange(query, left).whenComplete((retried, again) -> complete(result, start, retried, again));
      } else {
        complete(result, start, answer, error);
      }
    });
    return result;
  }

  private void complete(CompletableFuture<UpstreamAnswer> result, long start, UpstreamAnswer answer, Throwable error) {
    record(start, error);
    if (error == null) {
      result.complete(answer);
    } else {
      result.completeExceptionally(error);
    }
  }

  private static boolean isClosedFailure(Throwable error) {
    return UpstreamException.of(error).kind() == Kind.CLOSED;
  }

  private synchronized DotConnection pick() {
    pool.removeIf(DotConnection::isClosed);
    DotConnection best = null;
    for (DotConnection c : pool) {
      if (best == null || c.inFlight() < best.inFlight()) {
        best = c;
      }
    }
    int cap = settings.maxInFlightPerConnection();
    if (pool.size() < settings.connectionsPerServer() && (best == null || best.inFlight() >= SPREAD_AT)) {
      return open();
    }
    return best != null && best.inFlight() < cap ? best : null;
  }

  private synchronized DotConnection open() {
    DotConnection connection = new DotConnection(vertx, loops.forUpstream(), dialer, stats);
    pool.add(connection);
    return connection;
  }

  private void retire(DotConnection connection) {
    pool.remove(connection);
    connection.close();
  }

  @Override
  protected CompletableFuture<UpstreamAnswer> probeExchange() {
    return open().exchange(OutboundQuery.probe(settings.padding()), settings.attemptTimeout().toMillis());
  }

  @Override
  public void connect() {
    if (pool.isEmpty()) {
      open();
    }
  }

  @Override
  public void probeIfSilent() {
    if (health.hasAnswered() || !health.isUp() || closed || !asking.compareAndSet(false, true)) {
      return;
    }
    DotConnection connection = pick();
    (connection != null ? connection : open())
        .exchange(OutboundQuery.probe(settings.padding()), settings.attemptTimeout().toMillis())
        .whenComplete((answer, error) -> {
          if (error == null) {
            health.probeAnswered();
          } else {
            health.noted(UpstreamException.of(error));
          }
          asking.set(false);
        });
  }

  @Override
  public int openConnections() {
    return (int) pool.stream().filter(DotConnection::isEstablished).count();
  }

  /** Queries sent and not yet answered, over all connections (bounded by connections x their cap). */
  @Override
  public int inFlight() {
    return pool.stream().mapToInt(DotConnection::inFlight).sum();
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(idleTimer);
    pool.forEach(DotConnection::close);
    pool.clear();
  }
}
