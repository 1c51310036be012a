package dev.dnsgate.upstream;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.tls.TlsProvider;
import dev.dnsgate.config.DnsgateConfig.Upstream.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The upstream settings as plain values, so that upstream code is usable without CDI (tests). */
public record UpstreamSettings(
    List<UpstreamServer> servers,
    Strategy strategy,
    Optional<String> caFile,
    Map<String, List<String>> spkiPins,
    Duration attemptTimeout,
    Duration totalTimeout,
    boolean padding,
    TlsProvider tlsProvider,
    int connectionsPerServer,
    int maxInFlightPerConnection,
    Duration idleTimeout,
    int failuresBeforeDown,
    Duration probeInterval) {

  public static UpstreamSettings from(DnsgateConfig.Upstream config) {
    return new UpstreamSettings(
        config.servers().stream().map(UpstreamServer::parse).toList(),
        config.strategy(),
        config.caFile(),
        config.spkiPins(),
        config.attemptTimeout(),
        config.totalTimeout(),
        config.padding(),
        config.tlsProvider(),
        config.connectionsPerServer(),
        config.maxInFlightPerConnection(),
        config.idleTimeout(),
        config.failuresBeforeDown(),
        config.probeInterval());
  }

  /** The same settings for another set of servers with their own strategy (an upstream group). */
  public UpstreamSettings forGroup(List<UpstreamServer> groupServers, Strategy groupStrategy) {
    return forServers(groupServers, groupStrategy, caFile, spkiPins);
  }

  /**
   * The same timeouts, padding and pool sizes for other servers, trusted otherwise (the warm-up's
   * loopback server, whose certificate nothing else trusts).
   */
  public UpstreamSettings forServers(List<UpstreamServer> otherServers, Strategy otherStrategy,
      Optional<String> otherCaFile, Map<String, List<String>> otherPins) {
    return new UpstreamSettings(
        otherServers, otherStrategy, otherCaFile, otherPins, attemptTimeout, totalTimeout, padding, tlsProvider,
        connectionsPerServer, maxInFlightPerConnection, idleTimeout, failuresBeforeDown, probeInterval);
  }

  SpkiPins pinsFor(UpstreamServer server) {
    return new SpkiPins(spkiPins.getOrDefault(server.tlsName(), List.of()));
  }
}
