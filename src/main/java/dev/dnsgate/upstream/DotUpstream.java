package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;
import dev.dnsgate.loops.EventLoops;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One DoT server: a small pool of persistent connections and the server's health. Queries go to the
 * least-loaded established connection; another connection opens when all are at their in-flight cap.
 * A server that fails {@code failuresBeforeDown} times in a row is marked down and probed in the
 * background with a doubling interval until it answers again.
 */
public final class DotUpstream {

  private static final Logger LOG = Logger.getLogger(DotUpstream.class);
  private static final long MAX_PROBE_INTERVAL_MS = 60_000;
  /**
   * Another connection opens once the least-loaded one has this many queries outstanding, well
   * before the in-flight cap: each connection lives on one event loop, so spreading moderate load
   * over the pool spreads TLS work over the cores (one connection capped forward-unique at ~40k qps).
   */
  private static final int SPREAD_AT = 8;
  /** How often idle connections are looked for: well inside the margin DotConnection keeps (1 s). */
  private static final long IDLE_CHECK_MILLIS = 250;
  /** Weight of the newest sample in the latency moving average. */
  private static final double EWMA_WEIGHT = 0.2;

  private final Vertx vertx;
  private final EventLoops loops;
  private final NetClient client;
  private final UpstreamServer server;
  private final UpstreamSettings settings;
  private final SpkiPins pins;
  private final UpstreamStats stats = new UpstreamStats();
  private final List<DotConnection> pool = new CopyOnWriteArrayList<>();
  private final long idleTimer;

  private volatile int consecutiveFailures;
  private volatile boolean down;
  private volatile boolean closed;
  private volatile long probeIntervalMs;
  private volatile double latencyMillis = Double.NaN;
  private volatile String lastError = "";
  /** Until the server has answered once, "up" is only a guess (readiness must not report it). */
  private volatile boolean answered;
  private final AtomicBoolean asking = new AtomicBoolean();

  DotUpstream(Vertx vertx, EventLoops loops, NetClient client, UpstreamServer server, UpstreamSettings settings) {
    this.vertx = vertx;
    this.loops = loops;
    this.client = client;
    this.server = server;
    this.settings = settings;
    this.pins = settings.pinsFor(server);
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
  CompletableFuture<UpstreamAnswer> exchange(OutboundQuery query, long timeoutMs) {
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
    DotConnection connection = new DotConnection(vertx, loops.forUpstream(), client, server, pins, stats);
    pool.add(connection);
    return connection;
  }

  private void retire(DotConnection connection) {
    pool.remove(connection);
    connection.close();
  }

  private void record(long startNanos, Throwable error) {
    if (error == null) {
      long nanos = System.nanoTime() - startNanos;
      stats.answered(nanos);
      double sample = nanos / 1e6;
      double previous = latencyMillis;
      latencyMillis = Double.isNaN(previous) ? sample : previous + EWMA_WEIGHT * (sample - previous);
      consecutiveFailures = 0;
      answered = true;
      return;
    }
    UpstreamException cause = UpstreamException.of(error);
    lastError = cause.getMessage();
    stats.failed(cause.kind());
    if (cause.kind() == Kind.SATURATED) {
      return; // our own limit, not the server's fault
    }
    if (++consecutiveFailures >= settings.failuresBeforeDown()) {
      markDown();
    }
  }

  private synchronized void markDown() {
    if (down) {
      return;
    }
    down = true;
    probeIntervalMs = settings.probeInterval().toMillis();
    LOG.warnf("upstream %s is down after %d failures: %s", server.label(), consecutiveFailures, lastError);
    scheduleProbe();
  }

  private void scheduleProbe() {
    vertx.setTimer(probeIntervalMs, t -> probe());
  }

  private void probe() {
    if (!down || closed) {
      return;
    }
    DotConnection fresh = open();
    fresh
        .exchange(OutboundQuery.probe(settings.padding()), settings.attemptTimeout().toMillis())
        .whenComplete(
            (answer, error) -> {
              if (error == null) {
                consecutiveFailures = 0;
                answered = true;
                down = false;
                LOG.infof("upstream %s is back up", server.label());
              } else {
                lastError = UpstreamException.of(error).getMessage();
                probeIntervalMs = Math.min(probeIntervalMs * 2, MAX_PROBE_INTERVAL_MS);
                scheduleProbe();
              }
            });
  }

  /** Opens one connection ahead of the first query, so that it does not pay for the handshake. */
  void connect() {
    if (pool.isEmpty()) {
      open();
    }
  }

  public UpstreamServer server() {
    return server;
  }

  public boolean isUp() {
    return !down;
  }

  /** True once the server has answered anything (a query or a probe). */
  public boolean hasAnswered() {
    return answered;
  }

  /**
   * Sends one probe if the server has not answered yet and none is outstanding, so that readiness
   * learns the truth without waiting for client traffic (which readiness itself may be holding back).
   */
  public void probeIfSilent() {
    if (answered || down || closed || !asking.compareAndSet(false, true)) {
      return;
    }
    DotConnection connection = pick();
    (connection != null ? connection : open())
        .exchange(OutboundQuery.probe(settings.padding()), settings.attemptTimeout().toMillis())
        .whenComplete((answer, error) -> {
          if (error == null) {
            answered = true;
          } else {
            lastError = UpstreamException.of(error).getMessage();
          }
          asking.set(false);
        });
  }

  /** Moving average of answer latency in milliseconds; NaN before the first answer. */
  public double latencyMillis() {
    return latencyMillis;
  }

  public String lastError() {
    return lastError;
  }

  public UpstreamStats stats() {
    return stats;
  }

  public int openConnections() {
    return (int) pool.stream().filter(DotConnection::isEstablished).count();
  }

  /** Queries sent and not yet answered, over all connections (bounded by connections x their cap). */
  public int inFlight() {
    return pool.stream().mapToInt(DotConnection::inFlight).sum();
  }

  void close() {
    closed = true;
    vertx.cancelTimer(idleTimer);
    pool.forEach(DotConnection::close);
    pool.clear();
  }
}
