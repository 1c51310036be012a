package dev.dnsgate.ops;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.rules.rpz.FeedStatus;
import dev.dnsgate.rules.rpz.RpzFeeds;
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
 * upstream of the default group is healthy and has answered at least once: a fresh start reports
 * "no answer yet" and asks each silent upstream a probe question, rather than guess. The JSON shows
 * each upstream's state, last error and latency, so a failing probe says why; and each policy zone's
 * source, serial, last transfer, next refresh and record count (a zone without policies yet does not
 * make dnsgate unready: it serves, as a resolver must, and the data says so).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

  private final DnsListeners listeners;
  private final LiveRules rules;
  private final UpstreamGroups upstreams;
  private final RpzFeeds policyZones;

  public ReadinessCheck(DnsListeners listeners, LiveRules rules, UpstreamGroups upstreams, RpzFeeds policyZones) {
    this.policyZones = policyZones;
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
        upstream.probeIfSilent();
        defaultUp |= group.getKey().equals(DnsgateConfig.Upstream.DEFAULT_GROUP) && UpstreamState.up(upstream);
        double latency = upstream.latencyMillis();
        response.withData(group.getKey() + " " + upstream.label(),
            UpstreamState.of(upstream)
                + (Double.isNaN(latency) ? "" : String.format(" latency=%.1fms", latency))
                + (upstream.lastError().isEmpty() ? "" : " last-error=" + upstream.lastError()));
      }
    }
    for (FeedStatus zone : policyZones.statuses()) {
      response.withData("rpz " + zone.zone(), PolicyZoneText.of(zone));
    }
    return response.status(listeners.serving() && rules.loaded() && defaultUp).build();
  }
}
