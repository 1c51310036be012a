package dev.dnsgate.upstream;

import dev.dnsgate.tls.TlsProvider;
import dev.dnsgate.testing.Queries;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Message;

/** Settings and queries for upstream tests that run without Quarkus. */
final class UpstreamTestSupport {

  private UpstreamTestSupport() {}

  static UpstreamSettings settings(ScriptedDotServer... servers) {
    return pinned(Map.of(), servers);
  }

  /** Settings whose servers must present a key in {@code pins} (TLS name to base64 SPKI hashes). */
  static UpstreamSettings pinned(Map<String, List<String>> pins, ScriptedDotServer... servers) {
    return build(pins, Duration.ofSeconds(8), servers);
  }

  /** Settings that close a connection idle for {@code idle} unless its server allows longer (RFC 7828). */
  static UpstreamSettings idleTimeout(Duration idle, ScriptedDotServer... servers) {
    return build(Map.of(), idle, servers);
  }

  /** Settings whose TLS is done by {@code provider}. */
  static UpstreamSettings withTls(TlsProvider provider, ScriptedDotServer... servers) {
    return build(Map.of(), Duration.ofSeconds(8), provider, servers);
  }

  private static UpstreamSettings build(Map<String, List<String>> pins, Duration idle, ScriptedDotServer... servers) {
    return build(pins, idle, TlsProvider.OPENSSL, servers);
  }

  private static UpstreamSettings build(Map<String, List<String>> pins, Duration idle, TlsProvider provider,
      ScriptedDotServer... servers) {
    return Settings.upstream(addresses(servers), u -> {
      u.pins = pins;
      u.tlsProvider = provider;
      u.attemptTimeout = Duration.ofMillis(1000);
      u.totalTimeout = Duration.ofMillis(2500);
      u.maxInFlightPerConnection = 64;
      u.idleTimeout = idle;
      u.failuresBeforeDown = 2;
      u.probeInterval = Duration.ofMillis(50);
    });
  }

  static List<UpstreamServer> addresses(ScriptedDotServer... servers) {
    return Arrays.stream(servers).map(s -> UpstreamServer.parse("127.0.0.1:" + s.port() + "#dot.test")).toList();
  }

  static OutboundQuery outbound(Message clientQuery) {
    return OutboundQuery.from(Queries.context(clientQuery), true);
  }
}
