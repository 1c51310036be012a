package dev.dnsgate.testing;

import dev.dnsgate.cache.AnswerCache.CacheSettings;
import dev.dnsgate.config.DnsgateConfig.Upstream.Strategy;
import dev.dnsgate.upstream.UpstreamServer;
import dev.dnsgate.upstream.UpstreamSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings records for tests, by name instead of by position: each starts from the defaults in
 * application.yaml, and a test changes only what it is about.
 */
public final class Settings {

  private Settings() {}

  public static CacheBuilder cache() {
    return new CacheBuilder();
  }

  /** Upstream settings for {@code servers}, trusting the test CA (src/test/resources/tls). */
  public static UpstreamBuilder upstream(List<UpstreamServer> servers) {
    return new UpstreamBuilder(servers);
  }

  /** dnsgate.cache.* */
  public static final class CacheBuilder {
    private long maxEntries = 100_000;
    private long maxBytes = 64L << 20;
    private long minTtl = 0;
    private long maxTtl = 86_400;
    private Duration servfailTtl = Duration.ofSeconds(5);
    private boolean serveStale = false;
    private Duration staleRetention = Duration.ofDays(1);
    private boolean prefetch = true;

    public CacheBuilder maxEntries(long value) {
      maxEntries = value;
      return this;
    }

    public CacheBuilder maxBytes(long value) {
      maxBytes = value;
      return this;
    }

    public CacheBuilder ttlBounds(long min, long max) {
      minTtl = min;
      maxTtl = max;
      return this;
    }

    public CacheBuilder serveStale(boolean value) {
      serveStale = value;
      return this;
    }

    public CacheBuilder staleRetention(Duration value) {
      staleRetention = value;
      return this;
    }

    public CacheBuilder prefetch(boolean value) {
      prefetch = value;
      return this;
    }

    public CacheSettings build() {
      return new CacheSettings(maxEntries, maxBytes, minTtl, maxTtl, servfailTtl, serveStale, staleRetention,
          prefetch);
    }
  }

  /** dnsgate.upstream.* */
  public static final class UpstreamBuilder {
    private final List<UpstreamServer> servers;
    private Strategy strategy = Strategy.FAILOVER;
    private Optional<String> caFile = Optional.of(TestFiles.tls("test-ca.pem"));
    private Map<String, List<String>> pins = Map.of();
    private Duration attemptTimeout = Duration.ofSeconds(2);
    private Duration totalTimeout = Duration.ofSeconds(5);
    private boolean padding = true;
    private int connectionsPerServer = 2;
    private int maxInFlightPerConnection = 256;
    private Duration idleTimeout = Duration.ofSeconds(8);
    private int failuresBeforeDown = 3;
    private Duration probeInterval = Duration.ofSeconds(1);

    private UpstreamBuilder(List<UpstreamServer> servers) {
      this.servers = servers;
    }

    public UpstreamBuilder pins(Map<String, List<String>> value) {
      pins = value;
      return this;
    }

    public UpstreamBuilder timeouts(Duration attempt, Duration total) {
      attemptTimeout = attempt;
      totalTimeout = total;
      return this;
    }

    public UpstreamBuilder maxInFlightPerConnection(int value) {
      maxInFlightPerConnection = value;
      return this;
    }

    public UpstreamBuilder idleTimeout(Duration value) {
      idleTimeout = value;
      return this;
    }

    public UpstreamBuilder failuresBeforeDown(int value) {
      failuresBeforeDown = value;
      return this;
    }

    public UpstreamBuilder probeInterval(Duration value) {
      probeInterval = value;
      return this;
    }

    public UpstreamSettings build() {
      return new UpstreamSettings(servers, strategy, caFile, pins, attemptTimeout, totalTimeout, padding,
          connectionsPerServer, maxInFlightPerConnection, idleTimeout, failuresBeforeDown, probeInterval);
    }
  }
}
