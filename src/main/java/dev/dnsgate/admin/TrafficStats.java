package dev.dnsgate.admin;

import dev.dnsgate.resolve.AnswerSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.xbill.DNS.Name;

/**
 * Counters over a rolling window, cut into buckets: answers by source, the most queried names,
 * blocked names and clients (each a {@link TopSketch} per bucket), and upstream latency per group.
 * Memory is fixed by the configuration whatever the traffic: buckets x (3 sketches of
 * {@code sketchSize} keys + one counter per source and per upstream group).
 *
 * <p>Written by the feed's thread, read by HTTP requests; one lock between them, never taken on the
 * query path.
 */
final class TrafficStats {

  private static final AnswerSource[] SOURCES = AnswerSource.values();

  private final Function<InetAddress, String> clientText;
  private final long bucketMillis;
  private final int sketchSize;
  private final Bucket[] ring;

  /** One slice of the window; reused when the window moves past it. */
  private final class Bucket {
    long index = -1;
    final long[] bySource = new long[SOURCES.length];
    final TopSketch<Name> names = new TopSketch<>(sketchSize);
    final TopSketch<Name> blocked = new TopSketch<>(sketchSize);
    final TopSketch<InetAddress> clients = new TopSketch<>(sketchSize);
    /** Upstream group -> {answers, total nanos, max nanos}. */
    final Map<String, long[]> upstream = new HashMap<>();

    long total() {
      long sum = 0;
      for (long n : bySource) {
        sum += n;
      }
      return sum;
    }
  }

  /** @param clientText how a client is shown (its address, or its network when anonymised) */
  TrafficStats(Duration window, int buckets, int sketchSize, Function<InetAddress, String> clientText) {
    this.clientText = clientText;
    this.bucketMillis = Math.max(1, window.toMillis() / buckets);
    this.sketchSize = sketchSize;
    this.ring = new Bucket[buckets];
  }

  /** Counts one answer. */
  synchronized void record(Seen seen) {
    Bucket b = bucket(seen.epochMillis() / bucketMillis);
    b.bySource[seen.source().ordinal()]++;
    b.names.offer(seen.name());
    if (seen.client() != null) {
      b.clients.offer(seen.client());
    }
    if (seen.source() == AnswerSource.BLOCKED || seen.source() == AnswerSource.POLICY) {
      b.blocked.offer(seen.name());
    }
    if ((seen.source() == AnswerSource.UPSTREAM || seen.source() == AnswerSource.REWRITTEN) && seen.detail() != null) {
      long[] latency = b.upstream.computeIfAbsent(seen.detail(), g -> new long[3]);
      latency[0]++;
      latency[1] += seen.nanos();
      latency[2] = Math.max(latency[2], seen.nanos());
    }
  }

  private Bucket bucket(long index) {
    int slot = (int) Math.floorMod(index, (long) ring.length);
    Bucket b = ring[slot];
    if (b == null || b.index != index) {
      b = new Bucket(); // a fresh one rather than clearing: the old one's memory goes with it
      b.index = index;
      ring[slot] = b;
    }
    return b;
  }

  /** The window ending now, as JSON: totals, shares, a series per bucket, top lists, upstream latency. */
  synchronized JsonObject snapshot(long nowMillis, int top) {
    long last = nowMillis / bucketMillis;
    long[] bySource = new long[SOURCES.length];
    Map<Name, Long> names = new HashMap<>();
    Map<Name, Long> blocked = new HashMap<>();
    Map<InetAddress, Long> clients = new HashMap<>();
    long[] errors = new long[3];
    Map<String, long[]> upstream = new HashMap<>();
    JsonArray series = new JsonArray();
    for (long index = last - ring.length + 1; index <= last; index++) {
      Bucket b = ring[(int) Math.floorMod(index, (long) ring.length)];
      boolean live = b != null && b.index == index;
      JsonObject point = new JsonObject().put("start", Instant.ofEpochMilli(index * bucketMillis).toString())
          .put("total", live ? b.total() : 0L);
      JsonObject pointSources = new JsonObject();
      for (AnswerSource s : SOURCES) {
        pointSources.put(s.label(), live ? b.bySource[s.ordinal()] : 0L);
      }
      series.add(point.put("by_source", pointSources));
      if (!live) {
        continue;
      }
      for (int i = 0; i < bySource.length; i++) {
        bySource[i] += b.bySource[i];
      }
      b.names.addTo(names);
      b.blocked.addTo(blocked);
      b.clients.addTo(clients);
      errors[0] += b.names.error();
      errors[1] += b.blocked.error();
      errors[2] += b.clients.error();
      b.upstream.forEach((g, l) -> {
        long[] sum = upstream.computeIfAbsent(g, x -> new long[3]);
        sum[0] += l[0];
        sum[1] += l[1];
        sum[2] = Math.max(sum[2], l[2]);
      });
    }
    long total = 0;
    JsonObject sources = new JsonObject();
    for (AnswerSource s : SOURCES) {
      sources.put(s.label(), bySource[s.ordinal()]);
      total += bySource[s.ordinal()];
    }
    return new JsonObject()
        .put("window_seconds", bucketMillis * ring.length / 1000)
        .put("bucket_seconds", bucketMillis / 1000.0)
        .put("total", total)
        .put("by_source", sources)
        .put("shares", shares(bySource, total))
        .put("series", series)
        .put("top_names", topList(names, top, errors[0], "name", QueryFeed::nameText))
        .put("top_blocked", topList(blocked, top, errors[1], "name", QueryFeed::nameText))
        .put("top_clients", topList(clients, top, errors[2], "client", clientText))
        .put("upstream_latency", latency(upstream));
  }

  /**
   * blocked (block rules and policy zones), local, cached (fresh or stale), forwarded (as asked or
   * rewritten), other (refused, failed...).
   */
  private static JsonObject shares(long[] bySource, long total) {
    long blocked = bySource[AnswerSource.BLOCKED.ordinal()] + bySource[AnswerSource.POLICY.ordinal()];
    long local = bySource[AnswerSource.LOCAL.ordinal()];
    long cached = bySource[AnswerSource.CACHE.ordinal()] + bySource[AnswerSource.STALE.ordinal()];
    long forwarded = bySource[AnswerSource.UPSTREAM.ordinal()] + bySource[AnswerSource.REWRITTEN.ordinal()];
    long other = total - blocked - local - cached - forwarded;
    JsonObject shares = new JsonObject();
    for (Map.Entry<String, Long> e : Map.of("blocked", blocked, "local", local, "cached", cached,
        "forwarded", forwarded, "other", other).entrySet()) {
      shares.put(e.getKey(), total == 0 ? 0.0 : (double) e.getValue() / total);
    }
    return shares;
  }

  private static <K> JsonObject topList(Map<K, Long> merged, int n, long error, String keyName,
      Function<K, String> text) {
    JsonArray entries = new JsonArray();
    List<Map.Entry<K, Long>> top = TopSketch.top(merged, n);
    top.forEach(e -> entries.add(new JsonObject().put(keyName, text.apply(e.getKey())).put("count", e.getValue())));
    return new JsonObject().put("entries", entries).put("max_overcount", error);
  }

  private static JsonObject latency(Map<String, long[]> upstream) {
    JsonObject groups = new JsonObject();
    upstream.forEach((group, l) -> groups.put(group, new JsonObject().put("answers", l[0])
        .put("avg_ms", l[0] == 0 ? 0.0 : l[1] / 1e6 / l[0]).put("max_ms", l[2] / 1e6)));
    return groups;
  }
}
