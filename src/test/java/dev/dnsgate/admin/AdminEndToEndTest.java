package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The admin API over real HTTP and real DNS: the token, pause, stats and recent queries. */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(AdminProfile.class)
class AdminEndToEndTest {

  @Inject DnsListeners listeners;

  @TestHTTPResource("/")
  URL root;

  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void reset() throws Exception {
    DotUpstreamsResource.resetAll();
    call("DELETE", "/admin/pause", AdminProfile.TOKEN);
  }

  @AfterEach
  void resume() throws Exception {
    call("DELETE", "/admin/pause", AdminProfile.TOKEN);
  }

  HttpResponse<String> call(String method, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString()).resolve(path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonObject json(String method, String path) throws Exception {
    HttpResponse<String> response = call(method, path, AdminProfile.TOKEN);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  int rcode(String name) throws Exception {
    return new DnsClient(listeners.port()).udp(DnsClient.query(name, Type.A)).getRcode();
  }

  double refusals(String reason) throws Exception {
    Matcher m = Pattern.compile("(?m)^dnsgate_admin_refused_total\\{reason=\"" + reason + "\"} ([0-9.eE+-]+)$")
        .matcher(call("GET", "/q/metrics", null).body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void everyRouteThatChangesOrRevealsStateNeedsTheTokenEvenFromLoopback() throws Exception {
    double missing = refusals("missing-token");
    double wrong = refusals("wrong-token");
    for (String[] route : new String[][] {{"DELETE", "/cache"}, {"POST", "/rules/reload"},
        {"GET", "/rules/explain?name=www.internal.test"}, {"POST", "/admin/pause"}, {"GET", "/admin/stats"},
        {"GET", "/admin/queries"}}) {
      HttpResponse<String> none = call(route[0], route[1], null);
      HttpResponse<String> bad = call(route[0], route[1], "not-the-token");

      assertEquals(401, none.statusCode(), route[1]);
      assertEquals("missing-token", new JsonObject(none.body()).getString("reason"), route[1]);
      assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
      assertEquals(401, bad.statusCode(), route[1]);
      assertEquals("wrong-token", new JsonObject(bad.body()).getString("reason"));
      assertFalse(bad.body().contains("not-the-token"), "the presented token is never echoed");
    }
    assertEquals("on", json("GET", "/admin/pause").getString("blocking"), "no refused call changed anything");
    assertEquals(missing + 6, refusals("missing-token"));
    assertEquals(wrong + 6, refusals("wrong-token"));
  }

  @Test
  void probesMetricsAndTheDashboardNeedNoToken() throws Exception {
    assertEquals(200, call("GET", "/q/health/live", null).statusCode());
    assertTrue(call("GET", "/q/metrics", null).body().contains("dnsgate_blocking_paused"));
    HttpResponse<String> page = call("GET", "/dashboard/", null);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("dashboard.js"));
    assertFalse(page.body().contains("http://") || page.body().contains("https://"), "nothing from the internet");
    assertEquals(302, call("GET", "/dashboard", null).statusCode());
  }

  @Test
  void pausingBlockingLetsABlockedNameResolveUntilResumed() throws Exception {
    assertEquals(Rcode.NXDOMAIN, rcode("ads.e2e.test."));

    JsonObject paused = json("POST", "/admin/pause?duration=10m");
    assertEquals("paused", paused.getString("blocking"));
    assertEquals("*", paused.getJsonArray("pauses").getJsonObject(0).getString("rule"));
    assertEquals(Rcode.NOERROR, rcode("ads.e2e.test."), "forwarded to the upstream while paused");
    JsonObject explained = json("GET", "/rules/explain?name=ads.e2e.test");
    assertEquals("forward", explained.getJsonObject("decision").getString("action"));
    assertTrue(call("GET", "/q/metrics", null).body().contains("dnsgate_blocking_paused 1.0"));

    assertEquals("on", json("DELETE", "/admin/pause").getString("blocking"));
    assertEquals(Rcode.NXDOMAIN, rcode("ads.e2e.test."));
  }

  @Test
  void aTimedPauseEndsByItself() throws Exception {
    json("POST", "/admin/pause?duration=2s&rules=ads");
    assertEquals("forward", json("GET", "/rules/explain?name=ads.e2e.test").getJsonObject("decision").getString("action"));

    Eventually.await("blocking resumes after two seconds", () -> {
      try {
        return rcode("ads.e2e.test.") == Rcode.NXDOMAIN;
      } catch (Exception e) {
        return false;
      }
    }, 5000);
    assertEquals("on", json("GET", "/admin/pause").getString("blocking"));
  }

  @Test
  void badPauseRequestsAreRefusedWithAReason() throws Exception {
    HttpResponse<String> unknown = call("POST", "/admin/pause?rules=no-such-rule", AdminProfile.TOKEN);
    HttpResponse<String> badDuration = call("POST", "/admin/pause?duration=soon", AdminProfile.TOKEN);
    HttpResponse<String> negative = call("POST", "/admin/pause?duration=-5m", AdminProfile.TOKEN);

    assertEquals(400, unknown.statusCode());
    assertTrue(new JsonObject(unknown.body()).getString("error").contains("no-such-rule"));
    assertEquals(400, badDuration.statusCode());
    assertEquals(400, negative.statusCode());
    assertEquals("on", json("GET", "/admin/pause").getString("blocking"));
  }

  @Test
  void statsAndRecentQueriesFollowRealTraffic() throws Exception {
    long before = json("GET", "/admin/stats").getLong("total");
    long blockedBefore = json("GET", "/admin/stats").getJsonObject("by_source").getLong("blocked");
    rcode("stats-one.example.test.");
    rcode("stats-one.example.test.");
    rcode("ads.e2e.test.");

    Eventually.await("three answers counted", () -> total() >= before + 3, 5000);
    JsonObject stats = json("GET", "/admin/stats?top=50");
    assertTrue(stats.getJsonObject("by_source").getLong("blocked") >= blockedBefore + 1);
    assertTrue(names(stats.getJsonObject("top_names").getJsonArray("entries")).contains("stats-one.example.test"));
    assertTrue(names(stats.getJsonObject("top_blocked").getJsonArray("entries")).contains("ads.e2e.test"));
    assertTrue(stats.getJsonObject("upstream_latency").containsKey("default"));
    assertFalse(stats.getJsonArray("upstreams").isEmpty());

    JsonArray found = json("GET", "/admin/queries?name=STATS-ONE&source=cache").getJsonArray("queries");
    assertEquals(1, found.size(), "the second query was a cache hit: " + found);
    assertEquals("127.0.0.1", found.getJsonObject(0).getString("client"));
    JsonArray blocked = json("GET", "/admin/queries?name=ads.e2e&rcode=nxdomain&limit=1").getJsonArray("queries");
    assertEquals("ads (block)", blocked.getJsonObject(0).getString("decided_by"));
    assertEquals(400, call("GET", "/admin/queries?since=yesterday", AdminProfile.TOKEN).statusCode());
  }

  private long total() {
    try {
      return json("GET", "/admin/stats").getLong("total");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.List<String> names(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("name")).toList();
  }
}
