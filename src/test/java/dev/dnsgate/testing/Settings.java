package dev.dnsgate.testing;

import dev.dnsgate.cache.AnswerCache.CacheSettings;
import dev.dnsgate.config.DnsgateConfig.Upstream.Strategy;
import dev.dnsgate.tls.TlsProvider;
import dev.dnsgate.upstream.UpstreamServer;
import dev.dnsgate.upstream.UpstreamSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Settings records for tests, by name instead of by position: each starts from the defaults in
 * application.yaml, and a test changes only what it is about, e.g.
 * {@code Settings.cache(c -> c.serveStale = true)}.
 */
public final class Settings {

  private Settings() {}

  /** dnsgate.cache.* */
  public static final class Cache {
    public long maxEntries = 100_000;
    public long maxBytes = 64L << 20;
    public long minTtl = 0;
    public long maxTtl = 86_400;
    public Duration servfailTtl = Duration.ofSeconds(5);
    public boolean serveStale = false;
    public Duration staleRetention = Duration.ofDays(1);
    public boolean prefetch = true;
  }

  /** dnsgate.upstream.*, trusting the test CA (src/test/resources/tls). */
  public static final class Upstream {
    public Strategy strategy = Strategy.FAILOVER;
    public Optional<String> caFile = Optional.of(TestFiles.tls("test-ca.pem"));
    public Map<String, List<String>> pins = Map.of();
    public Duration attemptTimeout = Duration.ofSeconds(2);
    public Duration totalTimeout = Duration.ofSeconds(5);
    public boolean padding = true;
    public TlsProvider tlsProvider = TlsProvider.OPENSSL;
    public int connectionsPerServer = 2;
    public int maxInFlightPerConnection = 256;
    public Duration idleTimeout = Duration.ofSeconds(8);
    public int failuresBeforeDown = 3;
    public Duration probeInterval = Duration.ofSeconds(1);
  }

  public static CacheSettings cache(Consumer<Cache> change) {
    Cache c = new Cache();
    change.accept(c);
    return new CacheSettings(c.maxEntries, c.maxBytes, c.minTtl, c.maxTtl, c.servfailTtl, c.serveStale,
        c.staleRetention, c.prefetch);
  }

  public static UpstreamSettings upstream(List<UpstreamServer> servers, Consumer<Upstream> change) {
    Upstream u = new Upstream();
    change.accept(u);
    return new UpstreamSettings(servers, u.strategy, u.caFile, u.pins, u.attemptTimeout, u.totalTimeout, u.padding,
        u.tlsProvider, u.connectionsPerServer, u.maxInFlightPerConnection, u.idleTimeout, u.failuresBeforeDown, u.probeInterval);
  }
}
