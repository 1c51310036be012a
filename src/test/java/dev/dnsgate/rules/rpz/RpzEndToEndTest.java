package dev.dnsgate.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.Meters;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.ZonePrimary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Response Policy Zones through the real listeners, over UDP and TCP, with two zones in order. */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(RpzEndToEndTest.PolicyZones.class)
class RpzEndToEndTest {

  static final Path DIR = createDir();

  static final String FIRST = String.join("\n",
      "$TTL 60",
      "@ SOA ns.first.rpz. admin.first.rpz. 1 3600 600 86400 60",
      "@ NS localhost.",
      "nx.rpz.test CNAME .",
      "nodata.rpz.test CNAME *.",
      "pass.rpz.test CNAME rpz-passthru.",
      "drop.rpz.test CNAME rpz-drop.",
      "tcp.rpz.test CNAME rpz-tcp-only.",
      "garden.rpz.test A 10.6.6.6",
      "garden.rpz.test TXT \"walled garden\"",
      "alias.rpz.test CNAME target.rpz.test.",
      "allowed.rpz.test CNAME .",
      "*.wild.rpz.test CNAME .",
      "exact.wild.rpz.test A 10.7.7.7",
      "*.deep.wild.rpz.test CNAME *.",
      "ns.evil.rpz-nsdname CNAME .",
      "24.0.100.51.198.rpz-ip CNAME .",
      "32.2.0.0.127.rpz-client-ip A 10.8.8.8",
      "");

  static final String SECOND = String.join("\n",
      "$TTL 60",
      "@ SOA ns.second.rpz. admin.second.rpz. 7 3600 600 86400 60",
      "nx.rpz.test A 10.9.9.1",
      "pass.rpz.test CNAME .",
      "only-second.rpz.test CNAME .",
      "*.wild.rpz.test A 10.5.5.5",
      "");

  static final String RULES = String.join("\n",
      "rules:",
      "  - name: allow-ok",
      "    match: { name: allowed.rpz.test }",
      "    action: allow",
      "  - name: rpz-first",
      "    action: rpz",
      "    zone: first.rpz",
      "    file: first.rpz.zone",
      "  - name: rpz-second",
      "    action: rpz",
      "    zone: second.rpz",
      "    file: second.rpz.zone",
      "    ede: filtered",
      "");

  /** A rules folder with two file-based policy zones, polled every 50 ms. */
  public static class PolicyZones implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      write("first.rpz.zone", FIRST);
      write("second.rpz.zone", SECOND);
      write("rules.yaml", RULES);
      return Map.of("dnsgate.rules.dir", DIR.toString(), "dnsgate.rules.reload-interval", "50ms",
          "dnsgate.rules.list-cache-dir", DIR.resolve("cache").toString());
    }
  }

  @Inject DnsListeners listeners;
  @Inject LiveRules rules;
  @Inject AnswerCache cache;
  @Inject MeterRegistry registry;

  @TestHTTPResource("/rules/explain")
  URL explain;

  @TestHTTPResource("/q/health/ready")
  URL ready;

  private static Path createDir() {
    try {
      Path dir = Path.of("target", "rpz-e2e-test");
      if (Files.exists(dir.resolve("transfer.yaml"))) {
        Files.delete(dir.resolve("transfer.yaml"));
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(String file, String content) {
    try {
      Path temp = DIR.resolve("." + file + ".tmp");
      Files.writeString(temp, content);
      Files.move(temp, DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void reset() {
    DotUpstreamsResource.resetAll();
    // the first test may run before the upstream connections are up; every test expects them
    Eventually.await("upstream answering", this::upstreamAnswers, 5000);
    DotUpstreamsResource.resetAll();
    cache.flush();
  }

  private boolean upstreamAnswers() {
    try {
      return udp("ready.example.", Type.A).getRcode() == Rcode.NOERROR;
    } catch (IOException e) {
      return false;
    }
  }

  private DnsClient client() {
    return new DnsClient(listeners.port());
  }

  private static Message withEdns(String name, int type) {
    Message query = DnsClient.query(name, type);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return query;
  }

  private static ExtendedErrorCodeOption ede(Message response) {
    List<EDNSOption> options = response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    return options.isEmpty() ? null : (ExtendedErrorCodeOption) options.get(0);
  }

  private Message udp(String name, int type) throws IOException {
    return client().udp(withEdns(name, type));
  }

  private Message tcp(String name, int type) throws IOException {
    return client().tcp(withEdns(name, type));
  }

  private static String firstAddress(Message response) {
    return ((ARecord) DnsClient.firstAnswer(response)).getAddress().getHostAddress();
  }

  @Test
  void nxdomainPolicyOverUdpAndTcpCarriesEde15NamingTheZone() throws Exception {
    for (Message response : List.of(udp("nx.rpz.test.", Type.A), tcp("NX.rpz.test.", Type.AAAA))) {
      assertEquals(Rcode.NXDOMAIN, response.getRcode());
      assertEquals(ExtendedErrorCodeOption.BLOCKED, ede(response).getErrorCode());
      assertTrue(ede(response).getText().contains("first.rpz"), ede(response).getText());
    }
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "policy answers are not forwarded");
  }

  @Test
  void nodataPolicyAnswersNoerrorWithoutRecords() throws Exception {
    for (Message response : List.of(udp("nodata.rpz.test.", Type.A), tcp("nodata.rpz.test.", Type.A))) {
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertTrue(response.getSection(Section.ANSWER).isEmpty());
      assertEquals(ExtendedErrorCodeOption.BLOCKED, ede(response).getErrorCode());
    }
  }

  @Test
  void passthruInTheFirstZoneSkipsTheSecondZonesBlockAndForwards() throws Exception {
    for (Message response : List.of(udp("pass.rpz.test.", Type.A), tcp("pass.rpz.test.", Type.A))) {
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertEquals("192.0.2.1", firstAddress(response));
      assertNull(ede(response));
    }
  }

  @Test
  void dropPolicySendsNothingOverUdpAndTcp() throws Exception {
    assertNull(client().udpRaw(withEdns("drop.rpz.test.", Type.A).toWire(), 700), "no UDP answer");
    try (DnsClient.TcpSession session = client().tcpSession()) {
      Message dropped = withEdns("drop.rpz.test.", Type.A);
      dropped.getHeader().setID(1111);
      Message answered = withEdns("nx.rpz.test.", Type.A);
      answered.getHeader().setID(2222);
      session.send(dropped.toWire());
      session.send(answered.toWire());

      Message first = new Message(session.receive());
      assertEquals(2222, first.getHeader().getID(), "the only answer on the connection is the second query's");
    }
    Eventually.await("drops counted", () -> registry.find("dnsgate.packets.dropped").tag("reason", "policy")
        .counter().count() >= 2, 2000);
  }

  @Test
  void tcpOnlyPolicyTruncatesUdpAndResolvesOverTcp() throws Exception {
    Message overUdp = udp("tcp.rpz.test.", Type.A);
    Message overTcp = tcp("tcp.rpz.test.", Type.A);

    assertTrue(overUdp.getHeader().getFlag(Flags.TC));
    assertTrue(overUdp.getSection(Section.ANSWER).isEmpty());
    assertFalse(overTcp.getHeader().getFlag(Flags.TC));
    assertEquals("192.0.2.1", firstAddress(overTcp));
    assertEquals(1, DotUpstreamsResource.primary.received().size(), "only the TCP query was forwarded");
  }

  @Test
  void localDataReplacesTheAnswerAndOtherTypesGetNodata() throws Exception {
    for (Message response : List.of(udp("garden.rpz.test.", Type.A), tcp("garden.rpz.test.", Type.A))) {
      assertEquals("10.6.6.6", firstAddress(response));
      assertEquals(Name.fromString("garden.rpz.test."), DnsClient.firstAnswer(response).getName());
    }
    Message txt = udp("garden.rpz.test.", Type.TXT);
    assertEquals("walled garden", ((TXTRecord) DnsClient.firstAnswer(txt)).getStrings().get(0));
    Message mx = tcp("garden.rpz.test.", Type.MX);
    assertEquals(Rcode.NOERROR, mx.getRcode());
    assertTrue(mx.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void cnameToAnotherNameIsFollowedAndAnsweredBehindTheCname() throws Exception {
    Message response = tcp("alias.rpz.test.", Type.A);

    List<Record> answer = response.getSection(Section.ANSWER);
    assertEquals(Name.fromString("alias.rpz.test."), answer.get(0).getName());
    assertEquals(Name.fromString("target.rpz.test."), ((CNAMERecord) answer.get(0)).getTarget());
    assertEquals("192.0.2.1", ((ARecord) answer.get(1)).getAddress().getHostAddress());
    assertEquals(Name.fromString("target.rpz.test."),
        DotUpstreamsResource.primary.received().get(0).getQuestion().getName(), "the target is what is resolved");
    assertEquals("alias.rpz.test.", response.getQuestion().getName().toString());
  }

  @Test
  void exactNameBeatsWildcardAndTheLongestWildcardWins() throws Exception {
    assertEquals("10.7.7.7", firstAddress(udp("exact.wild.rpz.test.", Type.A)));
    assertEquals(Rcode.NXDOMAIN, udp("x.wild.rpz.test.", Type.A).getRcode(), "first zone's wildcard, not the second's");
    Message deeper = tcp("x.deep.wild.rpz.test.", Type.A);
    assertEquals(Rcode.NOERROR, deeper.getRcode());
    assertTrue(deeper.getSection(Section.ANSWER).isEmpty(), "*.deep.wild (NODATA) beats *.wild (NXDOMAIN)");
    assertEquals("192.0.2.1", firstAddress(udp("wild.rpz.test.", Type.A)), "a wildcard does not cover its parent");
  }

  @Test
  void laterZoneDecidesWhatTheFirstHasNoPolicyForWithItsOwnEde() throws Exception {
    Message nx = udp("nx.rpz.test.", Type.A);
    Message second = udp("only-second.rpz.test.", Type.A);

    assertEquals(Rcode.NXDOMAIN, nx.getRcode(), "the first zone's NXDOMAIN, not the second zone's 10.9.9.1");
    assertEquals(Rcode.NXDOMAIN, second.getRcode());
    assertEquals(ExtendedErrorCodeOption.FILTERED, ede(second).getErrorCode());
    assertTrue(ede(second).getText().contains("second.rpz"));
  }

  @Test
  void allowRuleKeepsItsMeaningBeforePolicyZones() throws Exception {
    assertEquals("192.0.2.1", firstAddress(udp("allowed.rpz.test.", Type.A)));
  }

  @Test
  void clientIpTriggerAnswersThatClientOnly() throws Exception {
    Message fromListed = viaSecondLoopback(withEdns("anything.example.", Type.A));
    Message fromOther = udp("anything.example.", Type.A);

    assertEquals("10.8.8.8", firstAddress(fromListed));
    assertEquals(Name.fromString("anything.example."), DnsClient.firstAnswer(fromListed).getName());
    assertEquals(Rcode.NOERROR, fromOther.getRcode());
    assertEquals("192.0.2.1", firstAddress(fromOther));
  }

  @Test
  void responseIpTriggerBlocksAnAnswerHoldingAListedAddressFromUpstreamAndCache() throws Exception {
    DotUpstreamsResource.primary.script(query -> {
      Message response = ScriptedDotServer.responseTo(query);
      try {
        Name name = query.getQuestion().getName();
        String address = name.toString().startsWith("bad-answer") ? "198.51.100.7" : "192.0.2.1";
        response.addRecord(new ARecord(name, DClass.IN, 300, InetAddress.getByName(address)), Section.ANSWER);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ScriptedDotServer.Reply.answer(response);
    });

    Message first = udp("bad-answer.rpz.test.", Type.A);
    Message cached = tcp("bad-answer.rpz.test.", Type.A);
    Message clean = udp("good-answer.rpz.test.", Type.A);

    assertEquals(Rcode.NXDOMAIN, first.getRcode());
    assertTrue(ede(first).getText().contains("first.rpz"));
    assertEquals(Rcode.NXDOMAIN, cached.getRcode(), "the cached answer is judged too");
    assertEquals(1, DotUpstreamsResource.primary.received().stream()
        .filter(q -> q.getQuestion().getName().toString().startsWith("bad-answer")).count());
    assertEquals("192.0.2.1", firstAddress(clean));
  }

  @Test
  void explainNamesThePolicyRecordAndShowsEachZonesSource() throws Exception {
    JsonObject body = explain("x.wild.rpz.test", "A");
    JsonObject decision = body.getJsonObject("decision");
    assertEquals("rpz-first", decision.getString("rule"));
    assertEquals("rpz", decision.getString("action"));
    assertTrue(decision.getString("policy").contains("*.wild.rpz.test.first.rpz. CNAME ."), decision.encode());
    assertEquals("NXDOMAIN", body.getJsonObject("response").getString("rcode"));
    assertEquals(ExtendedErrorCodeOption.BLOCKED, body.getJsonObject("response").getInteger("ede"));

    JsonArray zones = body.getJsonArray("policy-zones");
    JsonObject first = zones.stream().map(JsonObject.class::cast)
        .filter(z -> z.getString("zone").equals("first.rpz")).findFirst().orElseThrow();
    assertEquals(1, first.getLong("serial"));
    assertEquals(14, first.getInteger("records"), first.encode());
    assertEquals(1, first.getInteger("skipped"), "the NSDNAME trigger");

    assertTrue(explain("drop.rpz.test", "A").getString("response").contains("dropped"));
  }

  @Test
  void healthDetailsShowEachZonesSourceSerialAndRecords() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(ready.toString())).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject data = new JsonObject(response.body()).getJsonArray("checks").getJsonObject(0).getJsonObject("data");

    String second = data.getString("rpz second.rpz");
    assertTrue(second.contains("second.rpz.zone serial=7 records=4"), second);
    assertTrue(second.contains("next-refresh=on-edit"), second);
    assertTrue(data.getString("rpz first.rpz").contains("skipped=1"), data.encode());
  }

  @Test
  void hitsAreCountedPerZoneTriggerAndAction() throws Exception {
    double before = hits("second.rpz", "qname", "nxdomain");
    udp("only-second.rpz.test.", Type.A);
    tcp("only-second.rpz.test.", Type.A);
    assertEquals(before + 2, hits("second.rpz", "qname", "nxdomain"));
    assertTrue(Meters.value(registry, "dnsgate.rpz.records") >= 18, "14 + 4 policy records");
  }

  private double hits(String zone, String trigger, String action) {
    return registry.find("dnsgate.rpz.hits").tag("zone", zone).tag("trigger", trigger).tag("action", action)
        .counter().count();
  }

  @Test
  void notifyFromAnyoneButTheZonesPrimaryIsRefused() throws Exception {
    Message reply = notifyFrom("127.0.0.2", "first.rpz.");
    assertEquals(Rcode.REFUSED, reply.getRcode());
    assertEquals(Opcode.NOTIFY, reply.getHeader().getOpcode());
  }

  @Test
  void transferredZoneFollowsNotifiesFromItsPrimaryOnly() throws Exception {
    Name zone = Name.fromString("xfr.rpz.");
    try (ZonePrimary primary = new ZonePrimary(zone)) {
      primary.publish(xfrVersion(zone, 1, "one.xfr.test."));
      write("transfer.yaml", String.join("\n",
          "rules:",
          "  - name: rpz-xfr",
          "    action: rpz",
          "    zone: xfr.rpz",
          "    primary: 127.0.0.1:" + primary.port(),
          ""));
      Eventually.await("zone transferred", () -> nxdomain("one.xfr.test."), 10_000);

      primary.publish(xfrVersion(zone, 2, "two.xfr.test."));
      assertEquals(Rcode.REFUSED, notifyFrom("127.0.0.2", "xfr.rpz.").getRcode());
      Message accepted = notifyFrom("127.0.0.1", "xfr.rpz.");
      assertEquals(Rcode.NOERROR, accepted.getRcode());
      assertTrue(accepted.getHeader().getFlag(Flags.AA));

      Eventually.await("IXFR after NOTIFY", () -> nxdomain("two.xfr.test."), 10_000);
      assertFalse(nxdomain("one.xfr.test."));
      assertEquals(List.of("AXFR", "IXFR 1"), primary.requests());
    } finally {
      Files.deleteIfExists(DIR.resolve("transfer.yaml"));
    }
  }

  private static List<Record> xfrVersion(Name zone, long serial, String blocked) throws IOException {
    return List.of(
        new SOARecord(zone, DClass.IN, 60, Name.fromString("ns.xfr.rpz."), Name.fromString("a.xfr.rpz."), serial,
            3600, 600, 86400, 60),
        new CNAMERecord(Name.concatenate(Name.fromString(blocked).relativize(Name.root), zone), DClass.IN, 60,
            Name.root));
  }

  private boolean nxdomain(String name) {
    try {
      cache.flush();
      return udp(name, Type.A).getRcode() == Rcode.NXDOMAIN;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void reloadingAZoneFileUnderLoadNeverLetsABlockedNameThrough() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    List<Integer> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      workers.add(pool.submit(() -> {
        while (running.get()) {
          int rcode = udp("nx.rpz.test.", Type.A).getRcode();
          if (rcode != Rcode.NXDOMAIN) {
            wrong.add(rcode);
          }
          answered.incrementAndGet();
        }
        return null;
      }));
    }
    for (int v = 2; v <= 5; v++) {
      String name = "added" + v + ".rpz.test";
      write("first.rpz.zone", FIRST.replace(" 1 3600", " " + v + " 3600") + name + " CNAME .\n");
      Eventually.await(name + " blocked", () -> nxdomain(name + "."), 5000);
      int before = answered.get();
      Eventually.await("queries answered", () -> answered.get() > before + 20, 5000);
    }
    running.set(false);
    for (Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();
    write("first.rpz.zone", FIRST);

    assertTrue(wrong.isEmpty(), "answers other than NXDOMAIN: " + wrong);
    assertTrue(answered.get() > 80);
  }

  private JsonObject explain(String name, String type) throws Exception {
    URI uri = URI.create(explain + "?name=" + name + "&type=" + type);
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private Message notifyFrom(String source, String zone) throws Exception {
    Message notify = new Message();
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    notify.addRecord(Record.newRecord(Name.fromString(zone), Type.SOA, DClass.IN), Section.QUESTION);
    return send(source, notify);
  }

  private Message viaSecondLoopback(Message query) throws Exception {
    return send("127.0.0.2", query);
  }

  private Message send(String source, Message message) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
      socket.setSoTimeout(5000);
      byte[] wire = message.toWire();
      socket.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), listeners.port()));
      byte[] buffer = new byte[4096];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return new Message(Arrays.copyOf(buffer, reply.getLength()));
    }
  }
}
