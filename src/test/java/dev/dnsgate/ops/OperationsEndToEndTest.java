package dev.dnsgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.ScriptedDotServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Access control, rate limiting, ANY, metrics, query log and health through the real listeners. */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(OperationsEndToEndTest.Guarded.class)
class OperationsEndToEndTest {

  static final Path QUERY_LOG = Path.of("target", "ops-test-query-log.jsonl");

  /** Only 127.0.0.1 and 127.0.0.3 are clients; 127.0.0.3 may send 5 queries at once, 1 per second. */
  public static class Guarded implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "dnsgate.access.allow", "127.0.0.1/32,127.0.0.3/32",
          "dnsgate.access.rate-limit.qps", "1",
          "dnsgate.access.rate-limit.burst", "5",
          "dnsgate.access.rate-limit.exempt", "127.0.0.1/32",
          "dnsgate.query-log.enabled", "true",
          "dnsgate.query-log.target", QUERY_LOG.toString());
    }
  }

  @Inject DnsListeners listeners;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @TestHTTPResource("/rules/explain")
  URL explain;

  @BeforeEach
  void reset() {
    DotUpstreamsResource.resetAll();
  }

  private Message from(String source, Message query) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
      socket.setSoTimeout(3000);
      byte[] wire = query.toWire();
      socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), listeners.port()));
      byte[] buffer = new byte[4096];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return new Message(Arrays.copyOf(buffer, reply.getLength()));
    }
  }

  private static String get(URL url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url.toString())).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Sum of a metric's samples whose labels contain every given label="value". */
  private double metric(String name, String... labels) throws Exception {
    double sum = 0;
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{([^}]*)\\})? ([0-9.eE+-]+)$").matcher(get(metrics));
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      if (Arrays.stream(labels).allMatch(l -> found.contains(l))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Test
  void clientOutsideTheAllowedNetworksIsRefusedAndCounted() throws Exception {
    double before = metric("dnsgate_queries_total", "source=\"refused\"");

    Message response = from("127.0.0.2", DnsClient.query("www.example.test.", Type.A));

    assertEquals(Rcode.REFUSED, response.getRcode());
    assertTrue(DotUpstreamsResource.primary.received().isEmpty());
    assertEquals(before + 1, metric("dnsgate_queries_total", "source=\"refused\""));
  }

  @Test
  void clientOverItsRateGetsTruncatedAnswersSoItRetriesOverTcp() throws Exception {
    int truncated = 0;
    for (int i = 0; i < 12; i++) {
      Message response = from("127.0.0.3", DnsClient.query("rl" + i + ".example.test.", Type.A));
      truncated += response.getHeader().getFlag(Flags.TC) ? 1 : 0;
    }

    assertTrue(truncated >= 6, "burst of 5 then about 1 per second: " + truncated + " of 12 truncated");
    assertTrue(metric("dnsgate_queries_total", "source=\"rate-limited\"") >= 6);
  }

  @Test
  void anyQueryGetsTheMinimalRfc8482Answer() throws Exception {
    Message response = new DnsClient(listeners.port()).udp(DnsClient.query("any.example.test.", Type.ANY));

    HINFORecord hinfo = (HINFORecord) DnsClient.firstAnswer(response);
    assertEquals("RFC8482", hinfo.getCPU());
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "ANY is not forwarded");
  }

  @Test
  void metricsMoveWhenQueriesAreAnsweredBlockedAndMalformed() throws Exception {
    double upstream = metric("dnsgate_queries_total", "source=\"upstream\"", "transport=\"udp\"", "type=\"A\"");
    double blocked = metric("dnsgate_queries_total", "source=\"blocked\"", "rcode=\"NXDOMAIN\"");
    double malformed = metric("dnsgate_packets_malformed_total");
    double adsHits = metric("dnsgate_rule_hits_total", "rule=\"ads\"");
    DnsClient client = new DnsClient(listeners.port());

    client.udp(DnsClient.query("counted.example.test.", Type.A));
    client.udp(DnsClient.query("ads.e2e.test.", Type.A));
    byte[] broken = Arrays.copyOf(DnsClient.query("broken.example.test.", Type.A).toWire(), 20);
    client.udpRaw(broken, 2000);

    assertEquals(upstream + 1, metric("dnsgate_queries_total", "source=\"upstream\"", "transport=\"udp\"", "type=\"A\""));
    assertEquals(blocked + 1, metric("dnsgate_queries_total", "source=\"blocked\"", "rcode=\"NXDOMAIN\""));
    assertEquals(malformed + 1, metric("dnsgate_packets_malformed_total"));
    assertTrue(metric("dnsgate_upstream_up") >= 1);
    assertEquals(adsHits + 1, metric("dnsgate_rule_hits_total", "rule=\"ads\""));
    assertTrue(get(metrics).contains("dnsgate_query_duration_seconds_bucket"), "latency histogram");
    assertTrue(!get(metrics).contains("counted.example.test"), "no query name ever becomes a label");
  }
  @Test
  void explainCountsNoRuleHitsAndARealQueryCountsOne() throws Exception {
    double hits = metric("dnsgate_rule_hits_total", "rule=\"ads\"");

    String explained = get(new URL(explain + "?name=ads.e2e.test&type=A"));

    assertTrue(explained.contains("\"rule\" : \"ads\""), explained);
    assertEquals(hits, metric("dnsgate_rule_hits_total", "rule=\"ads\""), "explain leaves the live counters alone");
    new DnsClient(listeners.port()).udp(DnsClient.query("ads.e2e.test.", Type.A));
    assertEquals(hits + 1, metric("dnsgate_rule_hits_total", "rule=\"ads\""));
  }


  @Test
  void upstreamQueriesInFlightAreAGaugeThatReturnsToZero() throws Exception {
    DotUpstreamsResource.primary.script(q -> ScriptedDotServer.standard(q).delayed(500));
    java.util.concurrent.CompletableFuture<Message> answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new DnsClient(listeners.port()).udp(DnsClient.query("slow-gauge.example.test.", Type.A));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    Eventually.await("the pending query shows", () -> gauge("dnsgate_upstream_in_flight") >= 1, 5000);
    assertEquals(Rcode.NOERROR, answer.get(5, java.util.concurrent.TimeUnit.SECONDS).getRcode());
    Eventually.await("and is gone once answered", () -> gauge("dnsgate_upstream_in_flight") == 0, 5000);
  }

  private double gauge(String name) {
    try {
      return metric(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void queryLogWritesOneJsonLinePerQuery() throws Exception {
    new DnsClient(listeners.port()).udp(DnsClient.query("logged.example.test.", Type.AAAA));

    Eventually.await("the line is written", () -> logLine("logged.example.test.") != null, 5000);
    JsonObject line = new JsonObject(logLine("logged.example.test."));
    assertEquals("AAAA", line.getString("type"));
    assertEquals("127.0.0.1", line.getString("client"));
    assertEquals("NOERROR", line.getString("rcode"));
    assertEquals("upstream", line.getString("source"));
    assertTrue(line.containsKey("latency_ms"));
  }

  private static String logLine(String name) {
    try {
      return Files.exists(QUERY_LOG)
          ? Files.readAllLines(QUERY_LOG).stream().filter(l -> l.contains(name)).findFirst().orElse(null)
          : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Test
  void readinessShowsEachUpstreamAndIsUpOnceOneHasAnswered() throws Exception {
    // a readiness call asks each silent upstream a probe question, so UP follows without client traffic
    Eventually.await("ready", () -> readiness().getString("status").equals("UP"), 5000);
    JsonObject data = readiness().getJsonArray("checks").getJsonObject(0).getJsonObject("data");
    assertEquals("serving", data.getString("listeners"));
    String primary = "default dot.test@127.0.0.1:" + DotUpstreamsResource.primary.port();
    assertTrue(data.getString(primary).startsWith("up"), data.encode());
  }

  private JsonObject readiness() {
    try {
      return new JsonObject(get(ready));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
