package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.resolve.AnswerSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Rolling-window counters: buckets fill, shares add up, old buckets leave the window. */
class TrafficStatsTest {

  static final long HOUR = 3_600_000;
  static final long T0 = 1_000 * HOUR;

  static Seen seen(long at, AnswerSource source, String detail, long nanos, String name, String client) {
    try {
      return new Seen(at, InetAddress.getByName(client), Name.fromString(name, Name.root), Type.A, source, detail,
          Rcode.NOERROR, nanos);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static TrafficStats stats() {
    return new TrafficStats(Duration.ofHours(24), 24, 50, InetAddress::getHostAddress);
  }

  @Test
  void sharesTopListsAndUpstreamLatencyOverTheWindow() {
    TrafficStats stats = stats();
    stats.record(seen(T0, AnswerSource.BLOCKED, "ads (block)", 1000, "ads.example", "10.0.0.1"));
    stats.record(seen(T0 + 1, AnswerSource.BLOCKED, "ads (block)", 1000, "ads.example", "10.0.0.1"));
    stats.record(seen(T0 + 2, AnswerSource.LOCAL, "corp (local)", 1000, "wiki.corp.test", "10.0.0.2"));
    stats.record(seen(T0 + HOUR, AnswerSource.UPSTREAM, "default", 2_000_000, "example.com", "10.0.0.1"));
    stats.record(seen(T0 + HOUR, AnswerSource.UPSTREAM, "default", 4_000_000, "example.com", "10.0.0.1"));
    stats.record(seen(T0 + HOUR, AnswerSource.CACHE, "default", 10_000, "EXAMPLE.Com", "10.0.0.3"));

    JsonObject s = stats.snapshot(T0 + HOUR + 5, 2);

    assertEquals(6, s.getLong("total"));
    assertEquals(2.0 / 6, s.getJsonObject("shares").getDouble("blocked"), 1e-9);
    assertEquals(1.0 / 6, s.getJsonObject("shares").getDouble("cached"), 1e-9);
    assertEquals(2.0 / 6, s.getJsonObject("shares").getDouble("forwarded"), 1e-9);
    assertEquals("example.com", s.getJsonObject("top_names").getJsonArray("entries").getJsonObject(0).getString("name"));
    assertEquals(3, s.getJsonObject("top_names").getJsonArray("entries").getJsonObject(0).getLong("count"), "case folded");
    assertEquals(2, s.getJsonObject("top_names").getJsonArray("entries").size(), "top=2");
    assertEquals("ads.example", s.getJsonObject("top_blocked").getJsonArray("entries").getJsonObject(0).getString("name"));
    assertEquals("10.0.0.1", s.getJsonObject("top_clients").getJsonArray("entries").getJsonObject(0).getString("client"));
    JsonObject latency = s.getJsonObject("upstream_latency").getJsonObject("default");
    assertEquals(2, latency.getLong("answers"), "cache hits are not upstream latency");
    assertEquals(3.0, latency.getDouble("avg_ms"), 1e-9);
    assertEquals(4.0, latency.getDouble("max_ms"), 1e-9);
    JsonArray series = s.getJsonArray("series");
    assertEquals(24, series.size());
    assertEquals(3, series.getJsonObject(22).getLong("total"));
    assertEquals(2, series.getJsonObject(22).getJsonObject("by_source").getLong("blocked"));
    assertEquals(3, series.getJsonObject(23).getLong("total"));
  }

  @Test
  void bucketsOlderThanTheWindowAreForgotten() {
    TrafficStats stats = stats();
    stats.record(seen(T0, AnswerSource.BLOCKED, "ads (block)", 1000, "old.example", "10.0.0.1"));
    stats.record(seen(T0 + 24 * HOUR, AnswerSource.LOCAL, "x (local)", 1000, "new.example", "10.0.0.1"));

    JsonObject s = stats.snapshot(T0 + 24 * HOUR, 10);

    assertEquals(1, s.getLong("total"));
    assertEquals(0, s.getJsonObject("top_blocked").getJsonArray("entries").size());
    assertEquals(1, s.getJsonObject("top_names").getJsonArray("entries").size());
  }
}
