package dev.dnsgate.upstream;

import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * What every kind of group server shares whatever carries its queries (DoT, DoH): its address and
 * settings, its {@link ServerHealth} and its counters, how an attempt's outcome is recorded, and the
 * probing of a server that went down until it answers again.
 */
public abstract class HealthTrackedServer implements GroupServer {

  /** Named after the concrete class, so that log lines keep saying which transport they are about. */
  private final Logger log = Logger.getLogger(getClass());
  protected final Vertx vertx;

  protected final UpstreamServer server;
  protected final UpstreamSettings settings;
  protected final UpstreamStats stats = new UpstreamStats();
  protected final ServerHealth health;
  /** A readiness probe is outstanding (see probeIfSilent). */
  protected final AtomicBoolean asking = new AtomicBoolean();
  protected volatile boolean closed;

  HealthTrackedServer(Vertx vertx, UpstreamServer server, UpstreamSettings settings) {
    this.vertx = vertx;
    this.server = server;
    this.settings = settings;
    this.health = new ServerHealth(settings.failuresBeforeDown(), settings.probeInterval().toMillis());
  }

  /** A probe query on a fresh path to the server (a new connection where there are several). */
  protected abstract CompletableFuture<UpstreamAnswer> probeExchange();

  /** Counts one attempt's outcome; the failure that takes the server down starts probing it. */
  protected void record(long startNanos, Throwable error) {
    if (error == null) {
      long nanos = System.nanoTime() - startNanos;
      stats.answered(nanos);
      health.answered(nanos);
      return;
    }
    UpstreamException cause = UpstreamException.of(error);
    stats.failed(cause.kind());
    if (health.failed(cause)) {
      log.warnf("upstream %s is down after %d failures: %s", server.label(), health.consecutiveFailures(),
          health.lastError());
      scheduleProbe(health.probeIntervalMs());
    }
  }

  private void scheduleProbe(long delayMs) {
    vertx.setTimer(delayMs, t -> probe());
  }

  private void probe() {
    if (health.isUp() || closed) {
      return;
    }
    probeExchange().whenComplete((answer, error) -> {
      if (error == null) {
        health.probeAnswered();
        log.infof("upstream %s is back up", server.label());
      } else {
        scheduleProbe(health.probeFailed(UpstreamException.of(error)));
      }
    });
  }

  public UpstreamServer server() {
    return server;
  }

  @Override
  public String label() {
    return server.label();
  }

  @Override
  public boolean isUp() {
    return health.isUp();
  }

  @Override
  public boolean hasAnswered() {
    return health.hasAnswered();
  }

  @Override
  public double latencyMillis() {
    return health.latencyMillis();
  }

  @Override
  public String lastError() {
    return health.lastError();
  }

  @Override
  public UpstreamStats stats() {
    return stats;
  }
}
