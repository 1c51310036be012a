package dev.dnsgate.config;

import dev.dnsgate.dnssec.TrustAnchors;
import dev.dnsgate.rules.match.Cidr;
import dev.dnsgate.upstream.UpstreamServer;
import dev.dnsgate.wire.IpLiteral;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Every value of {@link DnsgateConfig} that cannot be right, as one line each: the key, the value as
 * written and what is allowed. Run before anything is built from the configuration, so a mistake
 * never reaches a library that would accept it silently or word it in its own terms.
 */
public final class ConfigValidator {

  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private static final long MB = 1 << 20;
  /** admin/RecentQueries: a name of up to 255 bytes, an address of up to 16 and the numbers. */
  private static final long RECENT_BYTES_PER_ENTRY = 300;

  private final DnsgateConfig config;
  /** The value as written (from the config sources), to quote it back as the user wrote it. */
  private final Function<String, String> written;
  private final String httpHost;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param written the raw value of a key, or null when it comes from nowhere (then the typed value
   *     is quoted)
   * @param httpHost quarkus.http.host, which decides whether the admin API needs a token
   */
  public ConfigValidator(DnsgateConfig config, Function<String, String> written, String httpHost) {
    this.config = config;
    this.written = written;
    this.httpHost = httpHost;
  }

  /** The mistakes found, one line each; empty when the configuration can start. */
  public List<String> problems() {
    problems.clear();
    listen(config.listen());
    upstream(config.upstream());
    cache(config.cache());
    access(config.access());
    queryLog(config.queryLog());
    rules(config.rules());
    atLeast("dnsgate.warm-up.duration", config.warmUp().duration(), Duration.ZERO);
    admin(config.admin());
    heapAtStart(Runtime.getRuntime().maxMemory());
    dnssec(config.dnssec());
    return List.copyOf(problems);
  }

  private void listen(DnsgateConfig.Listen l) {
    if (IpLiteral.parse(l.address()).isEmpty()) {
      fail("dnsgate.listen.address", l.address(), "must be an IP address, e.g. 127.0.0.1, 0.0.0.0 or ::");
    }
    range("dnsgate.listen.port", l.port(), 0, 65535);
    range("dnsgate.listen.udp-payload-size", l.udpPayloadSize(), 512, 65535);
    range("dnsgate.listen.udp-socket-buffer", l.udpSocketBuffer(), 4096, Integer.MAX_VALUE);
    range("dnsgate.listen.udp-sockets", l.udpSockets(), 1, 64);
    positive("dnsgate.listen.tcp.idle-timeout", l.tcp().idleTimeout());
    range("dnsgate.listen.tcp.max-connections", l.tcp().maxConnections(), 1, Integer.MAX_VALUE);
    range("dnsgate.listen.tcp.max-connections-per-client", l.tcp().maxConnectionsPerClient(), 1, Integer.MAX_VALUE);
    range("dnsgate.listen.tcp.max-in-flight-per-connection", l.tcp().maxInFlightPerConnection(), 1, 65535);
    range("dnsgate.listen.tcp.max-queries-per-connection", l.tcp().maxQueriesPerConnection(), 1, Integer.MAX_VALUE);
    positive("dnsgate.listen.tcp.read-timeout", l.tcp().readTimeout());
    atLeast("dnsgate.listen.shutdown-grace", l.shutdownGrace(), Duration.ZERO);
  }

  private void upstream(DnsgateConfig.Upstream u) {
    servers("dnsgate.upstream.servers", u.servers());
    for (Map.Entry<String, DnsgateConfig.Upstream.Group> group : u.groups().entrySet()) {
      servers("dnsgate.upstream.groups." + group.getKey() + ".servers", group.getValue().servers());
    }
    u.caFile().ifPresent(file -> readableFile("dnsgate.upstream.ca-file", file));
    for (Map.Entry<String, List<String>> pins : u.spkiPins().entrySet()) {
      for (String pin : pins.getValue()) {
        if (!isSha256Base64(pin.trim())) {
          fail("dnsgate.upstream.spki-pins.\"" + pins.getKey() + "\"", pin,
              "each pin must be the base64 SHA-256 of a SubjectPublicKeyInfo (44 characters ending in '=')");
        }
      }
    }
    positive("dnsgate.upstream.attempt-timeout", u.attemptTimeout());
    positive("dnsgate.upstream.total-timeout", u.totalTimeout());
    range("dnsgate.upstream.connections-per-server", u.connectionsPerServer(), 1, 64);
    range("dnsgate.upstream.max-in-flight-per-connection", u.maxInFlightPerConnection(), 1, 65535);
    positive("dnsgate.upstream.idle-timeout", u.idleTimeout());
    range("dnsgate.upstream.failures-before-down", u.failuresBeforeDown(), 1, Integer.MAX_VALUE);
    positive("dnsgate.upstream.probe-interval", u.probeInterval());
  }

  private void servers(String key, List<String> servers) {
    if (servers.isEmpty()) {
      fail(key, "", "must list at least one server as IP[:PORT]#TLS-NAME");
    }
    for (String server : servers) {
      try {
        UpstreamServer.parse(server);
      } catch (IllegalArgumentException e) {
        problems.add(key + ": " + e.getMessage());
      }
    }
  }

  private static boolean isSha256Base64(String pin) {
    try {
      return Base64.getDecoder().decode(pin).length == 32;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void cache(DnsgateConfig.Cache c) {
    // the cache's index (about 30 bytes per entry) and its records' arrays are allocated at start
    range("dnsgate.cache.max-entries", c.maxEntries(), 1, 100_000_000);
    range("dnsgate.cache.max-bytes", c.maxBytes(), 1024, 1L << 40);
    range("dnsgate.cache.min-ttl", c.minTtl(), 0, Integer.MAX_VALUE);
    range("dnsgate.cache.max-ttl", c.maxTtl(), Math.max(0, c.minTtl()), Integer.MAX_VALUE);
    atLeast("dnsgate.cache.servfail-ttl", c.servfailTtl(), Duration.ZERO);
    if (c.servfailTtl().compareTo(Duration.ofMinutes(5)) > 0) {
      fail("dnsgate.cache.servfail-ttl", c.servfailTtl(), "must be at most 5m (RFC 2308 section 7.1)");
    }
    atLeast("dnsgate.cache.stale-retention", c.staleRetention(), Duration.ZERO);
  }

  private void access(DnsgateConfig.Access a) {
    networks("dnsgate.access.allow", a.allow());
    range("dnsgate.access.rate-limit.qps", a.rateLimit().qps(), 0, Integer.MAX_VALUE);
    range("dnsgate.access.rate-limit.burst", a.rateLimit().burst(), 1, Integer.MAX_VALUE);
    networks("dnsgate.access.rate-limit.exempt", a.rateLimit().exempt());
    range("dnsgate.access.rate-limit.max-tracked", a.rateLimit().maxTracked(), 1, Integer.MAX_VALUE);
  }

  private void networks(String key, List<String> networks) {
    for (String network : networks) {
      try {
        Cidr.parse(network.trim());
      } catch (IllegalArgumentException e) {
        fail(key, network, "each entry must be an IP address or network such as 10.0.0.0/8 or fd00::/8");
      }
    }
  }

  private void queryLog(DnsgateConfig.QueryLog q) {
    if (q.sample() < 0 || q.sample() > 1 || Double.isNaN(q.sample())) {
      fail("dnsgate.query-log.sample", q.sample(), "must be a fraction from 0.0 to 1.0");
    }
    range("dnsgate.query-log.queue", q.queue(), 1, 10_000_000);
    if (q.enabled() && !q.target().equals("stdout")) {
      Path parent = Path.of(q.target()).toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        fail("dnsgate.query-log.target", q.target(), "must be stdout or a file in a folder that exists");
      }
    }
  }

  private void rules(DnsgateConfig.Rules r) {
    if (!Files.isDirectory(Path.of(r.dir()))) {
      fail("dnsgate.rules.dir", r.dir(), "must be a folder that exists (relative to "
          + Path.of("").toAbsolutePath() + "); an empty folder means no rules");
    }
    positive("dnsgate.rules.reload-interval", r.reloadInterval());
    positive("dnsgate.rules.list-refresh", r.listRefresh());
    if (r.listCacheDir().isBlank()) {
      fail("dnsgate.rules.list-cache-dir", r.listCacheDir(), "must name a folder");
    }
  }

  private void dnssec(DnsgateConfig.Dnssec d) {
    d.anchorFile().ifPresent(file -> {
      if (readableFile("dnsgate.dnssec.anchor-file", file)) {
        TrustAnchors.problems(file).forEach(problem -> fail("dnsgate.dnssec.anchor-file", file, problem));
      }
    });
    if (d.anchorMode() == DnsgateConfig.Dnssec.AnchorMode.REPLACE && d.anchorFile().isEmpty()) {
      fail("dnsgate.dnssec.anchor-mode", "replace", "needs dnsgate.dnssec.anchor-file, or nothing would be trusted");
    }
    for (String name : d.negativeAnchors().orElse(List.of())) {
      try {
        Name.fromString(name, Name.root);
      } catch (TextParseException e) {
        fail("dnsgate.dnssec.negative-anchors", name, "must be domain names, e.g. corp.example.com");
      }
    }
    for (String group : d.skipGroups().orElse(List.of())) {
      if (!group.equals(DnsgateConfig.Upstream.DEFAULT_GROUP) && !config.upstream().groups().containsKey(group)) {
        fail("dnsgate.dnssec.skip-groups", group, "must name upstream groups: default or one of dnsgate.upstream.groups "
            + config.upstream().groups().keySet());
      }
    }
    range("dnsgate.dnssec.max-signature-checks", d.maxSignatureChecks(), 1, 64);
    range("dnsgate.dnssec.max-ds-match-failures", d.maxDsMatchFailures(), 1, 64);
    range("dnsgate.dnssec.max-lookups", d.maxLookups(), 2, 256);
    range("dnsgate.dnssec.threads", d.threads(), 1, 64);
    positive("dnsgate.dnssec.key-cache-max-ttl", d.keyCacheMaxTtl());
  }

  private void admin(DnsgateConfig.Admin a) {
    if (a.token().isPresent() && a.tokenFile().isPresent()) {
      fail("dnsgate.admin.token-file", a.tokenFile().get(), "must not be set together with dnsgate.admin.token: pick one");
    }
    a.token().filter(String::isBlank).ifPresent(t -> fail("dnsgate.admin.token", "", "must not be blank"));
    a.tokenFile().ifPresent(file -> {
      if (readableFile("dnsgate.admin.token-file", file)) {
        try {
          if (Files.readString(Path.of(file)).isBlank()) {
            fail("dnsgate.admin.token-file", file, "must hold the token, and is empty");
          }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
          fail("dnsgate.admin.token-file", file, "must be a readable file holding the token");
        }
      }
    });
    boolean hasToken = a.token().filter(t -> !t.isBlank()).isPresent() || a.tokenFile().isPresent();
    if (a.enabled() && !hasToken && !loopback(httpHost)) {
      problems.add("dnsgate.admin.token: required because quarkus.http.host=" + httpHost + " is reachable beyond"
          + " loopback and dnsgate.admin.enabled=true; set DNSGATE_ADMIN_TOKEN or dnsgate.admin.token-file,"
          + " or dnsgate.admin.enabled=false to serve probes and metrics only");
    }
    positive("dnsgate.admin.stats.window", a.stats().window());
    if (range("dnsgate.admin.stats.buckets", a.stats().buckets(), 1, 10_000)
        && a.stats().window().compareTo(Duration.ZERO) > 0
        && a.stats().window().dividedBy(a.stats().buckets()).compareTo(ONE_SECOND) < 0) {
      fail("dnsgate.admin.stats.buckets", a.stats().buckets(), "must leave buckets of at least 1s in dnsgate.admin.stats.window");
    }
    range("dnsgate.admin.stats.sketch-size", a.stats().sketchSize(), 1, 100_000);
    range("dnsgate.admin.stats.queue", a.stats().queue(), 1, 10_000_000);
    range("dnsgate.admin.recent.size", a.recent().size(), 1, 1_000_000);
  }

  /**
   * The cache's arrays and the recent-queries ring are allocated at start (so that they reach the old
   * generation before clients come): more than half the heap would leave too little to serve, and
   * fail as an OutOfMemoryError instead of a line naming the key.
   */
  private void heapAtStart(long heap) {
    DnsgateConfig.Cache c = config.cache();
    DnsgateConfig.Admin a = config.admin();
    long cache = c.enabled() ? c.maxBytes() : 0;
    long recent = a.enabled() ? (long) a.recent().size() * RECENT_BYTES_PER_ENTRY : 0;
    if (cache + recent > heap / 2) {
      boolean cacheLarger = cache >= recent;
      fail(cacheLarger ? "dnsgate.cache.max-bytes" : "dnsgate.admin.recent.size",
          cacheLarger ? c.maxBytes() : a.recent().size(),
          String.format("is allocated at start: the cache (%d MB) and the recent queries (%d MB) must take"
              + " at most half the heap (%d of %d MB); lower it or raise -Xmx",
              cache / MB, recent / MB, heap / 2 / MB, heap / MB));
    }
  }

  private static boolean loopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    return IpLiteral.parse(host).map(InetAddress::isLoopbackAddress).orElse(false);
  }

  private boolean readableFile(String key, String file) {
    if (!Files.isRegularFile(Path.of(file)) || !Files.isReadable(Path.of(file))) {
      fail(key, file, "must be a readable file");
      return false;
    }
    return true;
  }

  /** True when within range; otherwise one line, and false. */
  private boolean range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      fail(key, value, max == Integer.MAX_VALUE || max == Long.MAX_VALUE
          ? "must be a whole number of at least " + min
          : "must be a whole number from " + min + " to " + max);
      return false;
    }
    return true;
  }

  private void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      fail(key, value, "must be a duration above zero, such as 500ms, 2s or 5m");
    }
  }

  private void atLeast(String key, Duration value, Duration min) {
    if (value.compareTo(min) < 0) {
      fail(key, value, "must be a duration of zero or more, such as 0s, 500ms or 5m");
    }
  }

  private void fail(String key, Object typed, String allowed) {
    String raw = written.apply(key);
    problems.add(key + "=" + (raw != null ? raw : typed) + ": " + allowed);
  }
}
