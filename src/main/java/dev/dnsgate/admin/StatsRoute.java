package dev.dnsgate.admin;

import dev.dnsgate.ops.UpstreamState;
import dev.dnsgate.rules.BlockingPause;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.upstream.GroupServer;
import dev.dnsgate.upstream.UpstreamGroup;
import dev.dnsgate.upstream.UpstreamGroups;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code GET /admin/stats?top=10}: the rolling window's counters, top lists, upstream latency and the
 * pause state. {@code GET /admin/queries?name=&client=&source=&rcode=&since=&until=&limit=}: the recent
 * queries that match, newest first.
 */
@ApplicationScoped
public class StatsRoute {

  private static final int MAX_TOP = 100;

  private final QueryFeed feed;
  private final BlockingPause pause;
  private final LiveRules rules;
  /** Looked up per request: the upstreams are built at start, after the HTTP routes. */
  private final Instance<UpstreamGroups> upstreams;

  public StatsRoute(QueryFeed feed, BlockingPause pause, LiveRules rules, Instance<UpstreamGroups> upstreams) {
    this.feed = feed;
    this.pause = pause;
    this.rules = rules;
    this.upstreams = upstreams;
  }

  void register(@Observes Router router) {
    router.get("/admin/stats").handler(this::stats);
    router.get("/admin/queries").handler(this::queries);
  }

  private void stats(RoutingContext ctx) {
    int top;
    try {
      top = bounded(ctx.request().getParam("top"), 10, MAX_TOP);
    } catch (IllegalArgumentException e) {
      Json.error(ctx, 400, "top " + e.getMessage());
      return;
    }
    JsonObject body = feed.stats().snapshot(System.currentTimeMillis(), top)
        .put("dropped", feed.dropped())
        .put("upstreams", servers())
        .put("pause", PauseRoute.status(pause, PauseRoute.blockRules(rules.current())));
    Json.send(ctx, 200, body);
  }

  private JsonArray servers() {
    JsonArray servers = new JsonArray();
    for (Map.Entry<String, UpstreamGroup> group : upstreams.get().all().entrySet()) {
      for (GroupServer u : group.getValue().upstreams()) {
        double latency = u.latencyMillis();
        servers.add(new JsonObject().put("group", group.getKey()).put("server", u.label())
            .put("state", UpstreamState.of(u)).put("latency_ms", Double.isNaN(latency) ? null : latency));
      }
    }
    return servers;
  }

  private void queries(RoutingContext ctx) {
    Predicate<Seen> filter;
    int limit;
    try {
      filter = filter(ctx);
      limit = bounded(ctx.request().getParam("limit"), 100, 10_000);
    } catch (IllegalArgumentException e) {
      Json.error(ctx, 400, e.getMessage());
      return;
    }
    JsonArray found = new JsonArray();
    for (Seen e : feed.recent().search(filter, limit)) {
      found.add(new JsonObject().put("time", Instant.ofEpochMilli(e.epochMillis()).toString())
          .put("client", feed.clientText(e.client())).put("name", QueryFeed.nameText(e.name()))
          .put("type", QueryFeed.typeText(e)).put("source", e.source().label()).put("decided_by", e.detail())
          .put("rcode", QueryFeed.rcodeText(e)).put("latency_ms", e.nanos() / 1e6));
    }
    Json.send(ctx, 200, new JsonObject().put("queries", found).put("kept", feed.recent().kept()));
  }

  private Predicate<Seen> filter(RoutingContext ctx) {
    Predicate<Seen> filter = e -> true;
    String name = param(ctx, "name");
    if (name != null) {
      String part = name.toLowerCase(Locale.ROOT);
      filter = filter.and(e -> QueryFeed.nameText(e.name()).contains(part));
    }
    String client = param(ctx, "client");
    if (client != null) {
      filter = filter.and(e -> e.client() != null && feed.clientText(e.client()).startsWith(client));
    }
    String source = param(ctx, "source");
    if (source != null) {
      filter = filter.and(e -> e.source().label().equalsIgnoreCase(source));
    }
    String rcode = param(ctx, "rcode");
    if (rcode != null) {
      filter = filter.and(e -> QueryFeed.rcodeText(e).equalsIgnoreCase(rcode));
    }
    String since = param(ctx, "since");
    if (since != null) {
      long from = instant("since", since);
      filter = filter.and(e -> e.epochMillis() >= from);
    }
    String until = param(ctx, "until");
    if (until != null) {
      long to = instant("until", until);
      filter = filter.and(e -> e.epochMillis() <= to);
    }
    return filter;
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static long instant(String key, String text) {
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(key + " '" + text + "' must be a UTC time like 2026-11-30T05:00:00Z");
    }
  }

  private static int bounded(String text, int absent, int max) {
    if (text == null || text.isBlank()) {
      return absent;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the same answer as out of range
    }
    throw new IllegalArgumentException("'" + text + "' must be a whole number from 1 to " + max);
  }
}
