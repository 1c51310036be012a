package dev.dnsgate.upstream;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every kind of group server shares whatever carries its queries (DoT, DoH): its address and
 * settings, its {@link ServerHealth} and its counters, and how health, latency and errors are read.
 */
public abstract class HealthTrackedServer implements GroupServer {

  protected final UpstreamServer server;
  protected final UpstreamSettings settings;
  protected final UpstreamStats stats = new UpstreamStats();
  protected final ServerHealth health;
  /** A readiness probe is outstanding (see probeIfSilent). */
  protected final AtomicBoolean asking = new AtomicBoolean();

  HealthTrackedServer(UpstreamServer server, UpstreamSettings settings) {
    this.server = server;
    this.settings = settings;
    this.health = new ServerHealth(settings.failuresBeforeDown(), settings.probeInterval().toMillis());
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
