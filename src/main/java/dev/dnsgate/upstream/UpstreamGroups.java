package dev.dnsgate.upstream;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.loops.EventLoops;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The configured upstream groups by name, "default" first, and their life cycle: built from the
 * configuration, connected once the listeners own their event loops, closed after the listeners have
 * drained (the order is stated in dev.dnsgate.lifecycle). Rules name groups; this is where a name
 * becomes a group.
 */
// @Singleton, not @ApplicationScoped: read on every forwarded query (see QueryPipeline).
@Singleton
public class UpstreamGroups {

  private final Map<String, UpstreamGroup> groups;

  public UpstreamGroups(DnsgateConfig config, Vertx vertx, EventLoops loops, MeterRegistry registry) {
    Map<String, UpstreamGroup> built = new LinkedHashMap<>();
    UpstreamSettings defaults = UpstreamSettings.from(config.upstream());
    built.put(DnsgateConfig.Upstream.DEFAULT_GROUP, new UpstreamGroup(vertx, loops, defaults));
    config.upstream().groups().forEach((name, group) -> built.put(name, new UpstreamGroup(vertx, loops,
        defaults.forGroup(group.servers().stream().map(UpstreamServer::parse).toList(),
            group.strategy().orElse(defaults.strategy())))));
    this.groups = Collections.unmodifiableMap(built);
    groups.forEach((name, group) -> UpstreamMeters.register(registry, name, group));
  }

  /** Every group's name, "default" included: what forward rules may name. */
  public Set<String> names() {
    return groups.keySet();
  }

  /** Every group by name, "default" first. */
  public Map<String, UpstreamGroup> all() {
    return groups;
  }

  /** Connects to every server ahead of the first query (see {@link UpstreamGroup#connect()}). */
  public void connect() {
    groups.values().forEach(UpstreamGroup::connect);
  }

  public void close() {
    groups.values().forEach(UpstreamGroup::close);
  }
}
