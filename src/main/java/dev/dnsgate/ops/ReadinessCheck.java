package dev.dnsgate.ops;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.upstream.GroupServer;
import dev.dnsgate.upstream.UpstreamGroup;
import dev.dnsgate.upstream.UpstreamGroups;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the listeners are bound (and not shutting down), the rules are loaded, and at least one
 * upstream of the default group is healthy. The JSON shows each upstream's state, last error and
 * latency, so a failing probe says why.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

  private final DnsListeners listeners;
  private final LiveRules rules;
  private final UpstreamGroups upstreams;

  public ReadinessCheck(DnsListeners listeners, LiveRules rules, UpstreamGroups upstreams) {
    this.listeners = listeners;
    this.rules = rules;
    this.upstreams = upstreams;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("dnsgate")
        .withData("listeners", listeners.serving() ? "serving" : "not serving")
        .withData("rules", rules.loaded() ? rules.current().size() + " loaded" : "not loaded");
    boolean defaultUp = false;
    for (Map.Entry<String, UpstreamGroup> group : upstreams.all().entrySet()) {
      for (GroupServer upstream : group.getValue().upstreams()) {
        defaultUp |= group.getKey().equals(DnsgateConfig.Upstream.DEFAULT_GROUP) && upstream.isUp();
        double latency = upstream.latencyMillis();
        response.withData(group.getKey() + " " + upstream.label(),
            (upstream.isUp() ? "up" : "down")
                + (Double.isNaN(latency) ? "" : String.format(" latency=%.1fms", latency))
                + (upstream.lastError().isEmpty() ? "" : " last-error=" + upstream.lastError()));
      }
    }
    return response.status(listeners.serving() && rules.loaded() && defaultUp).build();
  }
}
