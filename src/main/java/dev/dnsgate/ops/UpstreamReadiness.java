package dev.dnsgate.ops;

import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.upstream.DotUpstream;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready while at least one upstream is healthy; the JSON shows each upstream's state. */
@Readiness
@ApplicationScoped
public class UpstreamReadiness implements HealthCheck {

  private final QueryPipeline pipeline;

  public UpstreamReadiness(QueryPipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("upstreams");
    boolean anyUp = false;
    for (DotUpstream upstream : pipeline.groups().values().stream().flatMap(g -> g.upstreams().stream()).toList()) {
      anyUp |= upstream.isUp();
      double latency = upstream.latencyMillis();
      response.withData(
          upstream.server().label(),
          (upstream.isUp() ? "up" : "down")
              + (Double.isNaN(latency) ? "" : String.format(" latency=%.1fms", latency))
              + (upstream.lastError().isEmpty() ? "" : " last-error=" + upstream.lastError()));
    }
    return response.status(anyUp).build();
  }
}
