package dev.dnsgate.admin;

import dev.dnsgate.rules.BlockingPause;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.RuleSet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code GET /admin/pause}: what is paused and until when. {@code POST /admin/pause?duration=5m&rules=a,b}
 * pauses the named block rules (all when {@code rules} is absent) for the duration (until resumed when
 * absent). {@code DELETE /admin/pause?rules=a,b} resumes them (everything when absent).
 */
@ApplicationScoped
public class PauseRoute {

  /** A pause past a year is a mistake, and Instant arithmetic has limits. */
  private static final Duration LONGEST = Duration.ofDays(365);

  private final BlockingPause pause;
  private final LiveRules rules;

  public PauseRoute(BlockingPause pause, LiveRules rules, MeterRegistry registry) {
    this.pause = pause;
    this.rules = rules;
    Gauge.builder("dnsgate.blocking.paused", pause, p -> p.status().stream().anyMatch(e -> e.rule().equals(BlockingPause.ALL)) ? 1 : 0)
        .description("1 while every block rule is paused").register(registry);
    Gauge.builder("dnsgate.blocking.paused_rules", pause,
            p -> p.status().stream().filter(e -> !e.rule().equals(BlockingPause.ALL)).count())
        .description("Block rules paused by name").register(registry);
  }

  void register(@Observes Router router) {
    router.get("/admin/pause").handler(ctx -> reply(ctx, 200));
    router.post("/admin/pause").handler(this::pause);
    router.delete("/admin/pause").handler(ctx -> {
      pause.resume(names(ctx));
      reply(ctx, 200);
    });
  }

  private void pause(RoutingContext ctx) {
    List<String> names = names(ctx);
    Set<String> blockRules = blockRules();
    List<String> unknown = names.stream().filter(n -> !blockRules.contains(n)).toList();
    if (!unknown.isEmpty()) {
      Json.error(ctx, 400, "not a block rule: " + String.join(", ", unknown) + " (block rules: " + String.join(", ", blockRules) + ")");
      return;
    }
    String durationText = ctx.request().getParam("duration");
    Duration duration = null;
    if (durationText != null && !durationText.isBlank()) {
      try {
        duration = DurationConverter.parseDuration(durationText.trim());
      } catch (IllegalArgumentException e) {
        duration = Duration.ZERO;
      }
      if (duration == null || duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST) > 0) {
        Json.error(ctx, 400, "duration '" + durationText + "' must be like 30s, 5m or 2h, above 0 and at most 365d; leave it out to pause until resumed");
        return;
      }
    }
    pause.pause(names, duration);
    reply(ctx, 200);
  }

  private static List<String> names(RoutingContext ctx) {
    String text = ctx.request().getParam("rules");
    return text == null ? List.of()
        : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
  }

  private Set<String> blockRules() {
    return blockRules(rules.current());
  }

  /** The names a pause may name, sorted. */
  static Set<String> blockRules(RuleSet rules) {
    return rules.byPhase().get(Phase.BLOCK).stream().map(Rule::name).collect(Collectors.toCollection(TreeSet::new));
  }

  private void reply(RoutingContext ctx, int status) {
    Json.send(ctx, status, status(pause, blockRules()));
  }

  /** The pause state as the API and the dashboard show it. */
  static JsonObject status(BlockingPause pause, Set<String> blockRules) {
    List<BlockingPause.Entry> entries = pause.status();
    Instant now = Instant.now();
    JsonArray pauses = new JsonArray();
    for (BlockingPause.Entry e : entries) {
      pauses.add(new JsonObject().put("rule", e.rule())
          .put("until", e.until() == null ? null : e.until().toString())
          .put("remaining_seconds", e.until() == null ? null : Math.max(0, Duration.between(now, e.until()).toSeconds())));
    }
    boolean all = entries.stream().anyMatch(e -> e.rule().equals(BlockingPause.ALL));
    return new JsonObject()
        .put("blocking", all ? "paused" : entries.isEmpty() ? "on" : "partly paused")
        .put("pauses", pauses)
        .put("block_rules", new JsonArray(List.copyOf(blockRules)));
  }
}
