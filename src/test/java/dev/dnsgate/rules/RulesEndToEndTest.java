package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The three jobs of the rule chain, through the real listeners, with the rules of src/test/rules. */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
class RulesEndToEndTest {

  @Inject DnsListeners listeners;

  @TestHTTPResource("/rules/explain")
  URL explain;

  @Inject dev.dnsgate.cache.AnswerCache cache;

  @BeforeEach
  void reset() {
    DotUpstreamsResource.resetAll();
    cache.flush();
  }

  private DnsClient from(String clientAddress) throws Exception {
    return new DnsClient(InetAddress.getByName(clientAddress), listeners.port());
  }

  @Test
  void splitHorizonAnswersInternalClientsLocallyAndForwardsOthers() throws Exception {
    Message inside = new DnsClient(listeners.port()).udp(DnsClient.query("www.internal.test.", Type.A));
    // the listener binds 127.0.0.1 only; a second loopback address stands in for an outside client
    Message outside = viaSecondLoopback(DnsClient.query("www.internal.test.", Type.A));

    assertEquals("10.9.9.9", ((ARecord) DnsClient.firstAnswer(inside)).getAddress().getHostAddress());
    assertTrue(inside.getHeader().getFlag(Flags.AA), "local zone answers authoritatively");
    assertEquals("192.0.2.1", ((ARecord) DnsClient.firstAnswer(outside)).getAddress().getHostAddress());
    assertEquals(1, DotUpstreamsResource.primary.received().size(), "only the outside query was forwarded");
  }

  /** Sends from 127.0.0.2 to the listener on 127.0.0.1. */
  private Message viaSecondLoopback(Message query) throws Exception {
    try (java.net.DatagramSocket socket = new java.net.DatagramSocket(
        new java.net.InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
      socket.setSoTimeout(5000);
      byte[] wire = query.toWire();
      socket.send(new java.net.DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), listeners.port()));
      byte[] buffer = new byte[4096];
      java.net.DatagramPacket reply = new java.net.DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return new Message(java.util.Arrays.copyOf(buffer, reply.getLength()));
    }
  }

  @Test
  void repeatedLocalAnswersKeepEachClientsIdCaseAndRdBit() throws Exception {
    DnsClient client = new DnsClient(listeners.port());
    for (String asked : new String[] {"www.internal.test.", "WWW.Internal.TEST.", "wWw.iNtErNaL.tEsT."}) {
      Message query = DnsClient.query(asked, Type.A);
      query.getHeader().setID(asked.hashCode() & 0xffff);
      if (asked.startsWith("WWW")) {
        query.getHeader().unsetFlag(Flags.RD);
      }

      Message response = client.udp(query);

      assertEquals(asked.hashCode() & 0xffff, response.getHeader().getID());
      assertEquals(asked, response.getQuestion().getName().toString());
      assertEquals(!asked.startsWith("WWW"), response.getHeader().getFlag(Flags.RD));
      assertEquals("10.9.9.9", ((ARecord) DnsClient.firstAnswer(response)).getAddress().getHostAddress());
    }
  }

  @Test
  void unknownNameInLocalZoneIsNxdomainWithSoaAndNotForwarded() throws Exception {
    Message response = new DnsClient(listeners.port()).udp(DnsClient.query("nope.internal.test.", Type.A));

    assertEquals(Rcode.NXDOMAIN, response.getRcode());
    assertEquals(Type.SOA, response.getSection(Section.AUTHORITY).get(0).getType());
    assertTrue(DotUpstreamsResource.primary.received().isEmpty());
  }

  @Test
  void blockedNameGetsNxdomainWithEde15() throws Exception {
    Message query = DnsClient.query("x.tracker.e2e.test.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

    Message response = new DnsClient(listeners.port()).udp(query);

    assertEquals(Rcode.NXDOMAIN, response.getRcode());
    List<EDNSOption> ede = response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertEquals(ExtendedErrorCodeOption.BLOCKED, ((ExtendedErrorCodeOption) ede.get(0)).getErrorCode());
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "blocked queries are not forwarded");
  }

  @Test
  void rewrittenQueryGoesUpstreamUnderTheNewNameAndComesBackUnderTheOldOne() throws Exception {
    Message response = new DnsClient(listeners.port()).tcp(DnsClient.query("Alias.E2E.test.", Type.A));

    Message upstreamSaw = DotUpstreamsResource.primary.received().get(0);
    assertEquals(Name.fromString("real.e2e.test."), upstreamSaw.getQuestion().getName());
    assertEquals("Alias.E2E.test.", response.getQuestion().getName().toString(), "question as asked");
    assertEquals(Name.fromString("alias.e2e.test."), DnsClient.firstAnswer(response).getName());
  }

  @Test
  void conditionalForwardingSendsTheZoneToItsGroup() throws Exception {
    Message response = new DnsClient(listeners.port()).udp(DnsClient.query("host.corp.e2e.test.", Type.A));

    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(1, DotUpstreamsResource.secondary.received().size());
    assertTrue(DotUpstreamsResource.primary.received().isEmpty());
  }

  @Test
  void explainShowsCheckedRulesAndTheResponseWithoutForwarding() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(explain + "?name=www.internal.test&type=A&client=127.0.0.1");

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode());
    JsonObject body = new JsonObject(response.body());
    assertEquals("internal-view", body.getJsonObject("decision").getString("rule"));
    assertEquals("NOERROR", body.getJsonObject("response").getString("rcode"));
    assertTrue(body.getJsonObject("response").getJsonArray("answer").getString(0).contains("10.9.9.9"));
    assertTrue(body.getJsonArray("checked").size() >= 1);
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "explain forwards nothing");
  }

  @Test
  void explainShowsTheRunningAndACandidateFolderSideBySide() throws Exception {
    Path candidate = Files.createTempDirectory("candidate");
    Files.writeString(candidate.resolve("rules.yaml"), """
        rules:
          - name: no-alias
            match: { name: alias.e2e.test }
            action: block
        """);
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(explain + "?name=alias.e2e.test&type=A&candidate=" + candidate);

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = new JsonObject(response.body());
    assertEquals("real.e2e.test.", body.getJsonObject("running").getJsonObject("resolved").getString("name"));
    assertEquals("forward", body.getJsonObject("running").getJsonObject("decision").getString("action"));
    assertEquals("no-alias", body.getJsonObject("candidate").getJsonObject("decision").getString("rule"));
    assertEquals("NXDOMAIN", body.getJsonObject("candidate").getJsonObject("response").getString("rcode"));
    assertEquals(candidate.toString(), body.getJsonObject("candidate").getString("dir"));
    assertEquals(false, body.getBoolean("same_response"));
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "explain forwards nothing");
  }

  @Test
  void explainNamesTheLineOfACandidateThatDoesNotLoad() throws Exception {
    Path candidate = Files.createTempDirectory("candidate");
    Files.writeString(candidate.resolve("rules.yaml"), "rules:\n  - name: x\n    action: blok\n");
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(explain + "?name=x.test&candidate=" + candidate);

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(422, response.statusCode());
    String error = new JsonObject(response.body()).getString("error");
    assertTrue(error.startsWith("candidate " + candidate + ": " + candidate.resolve("rules.yaml")
        + ":3: unknown action 'blok' (known: allow, block, "), error);
  }

  @Test
  void explainRejectsBadInputWithAClearMessage() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(explain + "?name=x.test&type=NOPE");

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(400, response.statusCode());
    assertTrue(new JsonObject(response.body()).getString("error").contains("NOPE"));
  }

  @Test
  void explainTakesAClientName() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String games = explain + "?name=play.games.e2e.test&type=A";

    JsonObject kids = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(games + "&client-name=Kids-Tablet")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    JsonObject nameless = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(games)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(games + "&client-name=a.b")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals("kids-names", kids.getJsonObject("decision").getString("rule"));
    assertEquals("kids-tablet", kids.getJsonObject("query").getString("client-name"));
    assertEquals("forward", nameless.getJsonObject("decision").getString("action"));
    assertEquals(400, bad.statusCode());
  }
}
