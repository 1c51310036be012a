package dev.dnsgate.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.Meters;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.SignedZones;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
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
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Validation end to end: real clients over UDP, the real pipeline, DoT upstreams answering from zones
 * signed inside the test (SignedZonesResource), e2e.test's key the only trust anchor.
 */
@QuarkusTest
@TestProfile(SignedZonesResource.class)
class DnssecEndToEndTest {

  static final Path QUERY_LOG = Path.of("target", "dnssec-e2e", "query-log.jsonl");
  /** The zones the upstreams serve; their keys match the profile's anchor file (see SignedZone). */
  static final SignedZones ZONES = SignedZonesResource.build();

  @Inject DnsListeners listeners;
  @Inject AnswerCache cache;
  @Inject MeterRegistry registry;

  @TestHTTPResource("/rules/explain")
  URL explain;

  @BeforeEach
  void serveSignedZones() {
    for (ScriptedDotServer server : List.of(DotUpstreamsResource.primary, DotUpstreamsResource.secondary)) {
      server.reset();
      server.script(ZONES::answer);
    }
    cache.flush();
  }

  private Message ask(String name, int type, boolean dnssecOk, boolean ad, boolean cd) throws Exception {
    Message query = DnsClient.query(name, type);
    if (dnssecOk) {
      query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    }
    if (ad) {
      query.getHeader().setFlag(Flags.AD);
    }
    if (cd) {
      query.getHeader().setFlag(Flags.CD);
    }
    return new DnsClient(listeners.port()).tcp(query);
  }

  private Message ask(String name, int type) throws Exception {
    return ask(name, type, true, false, false);
  }

  private static ExtendedErrorCodeOption ede(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return null;
    }
    for (EDNSOption option : opt.getOptions()) {
      if (option instanceof ExtendedErrorCodeOption ede) {
        return ede;
      }
    }
    return null;
  }

  private static void assertBogus(Message response, int code, String zone) {
    assertEquals(Rcode.SERVFAIL, response.getRcode(), response.toString());
    assertTrue(response.getSection(Section.ANSWER).isEmpty(), "a refused answer carries no data");
    ExtendedErrorCodeOption ede = ede(response);
    assertNotNull(ede, response.toString());
    assertEquals(code, ede.getErrorCode(), response.toString());
    assertTrue(ede.getText().startsWith(zone + ":"), "EXTRA-TEXT names the zone: " + ede.getText());
    assertNoReasonRecord(response);
  }

  private static void assertNoReasonRecord(Message response) {
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      assertFalse(r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS, "dnsjava's reason record leaked: " + r);
    }
  }

  private static String address(Message response) {
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof ARecord a) {
        return a.getAddress().getHostAddress();
      }
    }
    return null;
  }

  private static boolean hasSignatures(Message response) {
    return response.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.RRSIG);
  }

  private static long askedUpstream(String name, int type) {
    return DotUpstreamsResource.primary.received().stream()
        .filter(q -> q.getQuestion().getType() == type && q.getQuestion().getName().toString().equals(name)).count();
  }

  @Test
  void secureAnswerCarriesAdForAClientThatSetDo() throws Exception {
    Message response = ask("www.e2e.test.", Type.A);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.AD), response.toString());
    assertEquals("192.0.2.10", address(response));
    assertTrue(hasSignatures(response), "a DO client gets the RRSIGs");
    assertFalse(response.getHeader().getFlag(Flags.CD), "the validator's own CD=1 stays between it and the upstream");
    assertNoReasonRecord(response);
  }

  @Test
  void clientWithoutDoOrAdGetsNoAdAndNoSignatures() throws Exception {
    Message plain = ask("www.e2e.test.", Type.A, false, false, false);
    assertEquals("192.0.2.10", address(plain));
    assertFalse(plain.getHeader().getFlag(Flags.AD), plain.toString());
    assertFalse(hasSignatures(plain), plain.toString());
    // the same cache entry, for a client that set AD without DO (RFC 6840 5.7): AD, still no RRSIGs
    Message withAd = ask("www.e2e.test.", Type.A, false, true, false);
    assertTrue(withAd.getHeader().getFlag(Flags.AD), withAd.toString());
    assertFalse(hasSignatures(withAd));
  }

  @Test
  void tamperedAnswerGetsServfailWithEde6NamingTheZone() throws Exception {
    assertBogus(ask("tampered.e2e.test.", Type.A), ExtendedErrorCodeOption.DNSSEC_BOGUS, "e2e.test.");
  }

  @Test
  void expiredSignatureGetsServfailWithEde7() throws Exception {
    assertBogus(ask("expired.e2e.test.", Type.A), ExtendedErrorCodeOption.SIGNATURE_EXPIRED, "e2e.test.");
  }

  @Test
  void missingDnskeyGetsServfailWithEde9() throws Exception {
    assertBogus(ask("host.nokey.e2e.test.", Type.A), ExtendedErrorCodeOption.DNSKEY_MISSING, "nokey.e2e.test.");
  }

  @Test
  void unsignedDelegationIsInsecureAndPassesWithoutAd() throws Exception {
    Message response = ask("host.child.e2e.test.", Type.A);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals("192.0.2.40", address(response));
    assertFalse(response.getHeader().getFlag(Flags.AD));
    assertNull(ede(response));
  }

  @Test
  void nsecNxdomainIsProvenAndCarriesAd() throws Exception {
    Message response = ask("nothere.e2e.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, response.getRcode(), response.toString());
    assertTrue(response.getHeader().getFlag(Flags.AD), response.toString());
  }

  @Test
  void nsecNodataIsProvenAndCarriesAd() throws Exception {
    Message response = ask("www.e2e.test.", Type.TXT);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
    assertTrue(response.getHeader().getFlag(Flags.AD), response.toString());
  }

  @Test
  void nsec3NxdomainAndNodataAreProvenAndCarryAd() throws Exception {
    Message host = ask("host.n3.e2e.test.", Type.A);
    assertTrue(host.getHeader().getFlag(Flags.AD), host.toString());
    Message nodata = ask("host.n3.e2e.test.", Type.TXT);
    assertEquals(Rcode.NOERROR, nodata.getRcode(), nodata.toString());
    assertTrue(nodata.getHeader().getFlag(Flags.AD), nodata.toString());
    Message nxdomain = ask("nothere.n3.e2e.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, nxdomain.getRcode(), nxdomain.toString());
    assertTrue(nxdomain.getHeader().getFlag(Flags.AD), nxdomain.toString());
  }

  @Test
  void checkingDisabledGetsTheUnvalidatedAnswerCachedApart() throws Exception {
    Message unchecked = ask("tampered.e2e.test.", Type.A, true, false, true);
    assertEquals(Rcode.NOERROR, unchecked.getRcode());
    assertEquals("198.51.100.66", address(unchecked), "CD=1: the client validates for itself");
    assertFalse(unchecked.getHeader().getFlag(Flags.AD));
    assertBogus(ask("tampered.e2e.test.", Type.A), ExtendedErrorCodeOption.DNSSEC_BOGUS, "e2e.test.");
    Message again = ask("tampered.e2e.test.", Type.A, true, false, true);
    assertEquals("198.51.100.66", address(again));
  }

  @Test
  void negativeTrustAnchorPassesABrokenNameWithoutAd() throws Exception {
    Message response = ask("broken.nta.e2e.test.", Type.A);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    assertEquals("198.51.100.70", address(response));
    assertFalse(response.getHeader().getFlag(Flags.AD));
  }

  @Test
  void groupWithValidationOffPassesAnswersWithoutAd() throws Exception {
    Message response = ask("x.corp.e2e.test.", Type.A);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    assertEquals("198.51.100.90", address(response));
    assertFalse(response.getHeader().getFlag(Flags.AD));
  }

  @Test
  void rewrittenQueryIsValidatedForTheNameAskedUpstream() throws Exception {
    Message response = ask("alias.e2e.test.", Type.A);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    assertEquals("192.0.2.12", address(response));
    assertTrue(response.getHeader().getFlag(Flags.AD), response.toString());
    assertEquals(1, askedUpstream("real.e2e.test.", Type.A));
  }

  @Test
  void localRuleAnswerIsNotValidated() throws Exception {
    Message response = ask("www.internal.test.", Type.A);
    assertEquals("10.9.9.9", address(response));
    assertFalse(response.getHeader().getFlag(Flags.AD));
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "nothing went upstream, nothing was validated");
  }

  @Test
  void warmZoneKeysCostNoUpstreamLookups() throws Exception {
    assertTrue(ask("www.e2e.test.", Type.A).getHeader().getFlag(Flags.AD));
    DotUpstreamsResource.primary.reset();
    DotUpstreamsResource.primary.script(ZONES::answer);
    assertTrue(ask("www2.e2e.test.", Type.A).getHeader().getFlag(Flags.AD));
    List<Message> received = DotUpstreamsResource.primary.received();
    assertEquals(1, received.size(), "only the name itself: " + received);
    assertEquals(Type.A, received.get(0).getQuestion().getType());
    assertTrue(received.get(0).getHeader().getFlag(Flags.CD), "asked with CD=1, so the upstream filters nothing");
    assertTrue((received.get(0).getOPT().getFlags() & ExtendedFlags.DO) != 0, "and DO=1, for the signatures");
  }

  @Test
  void bogusAnswerIsCachedSoABrokenZoneIsNotRevalidatedAtQueryRate() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertBogus(ask("tampered.e2e.test.", Type.A), ExtendedErrorCodeOption.DNSSEC_BOGUS, "e2e.test.");
    }
    assertEquals(1, askedUpstream("tampered.e2e.test.", Type.A));
  }

  /**
   * Unbounded, dnsjava alone spent 4 s of CPU on host.trap (41 keys tried for each of 31 signatures):
   * past the upstream timeout, so an answer that is not EDE 23 proves the bound as much as the meter.
   */
  @Test
  void keyTrapZoneWithCollidingKeysFinishesWithinItsBound() throws Exception {
    long limitsBefore = Meters.value(registry, "dnsgate.dnssec.limit.reached");
    Message manySignatures = ask("host.trap.e2e.test.", Type.A);
    assertBogus(manySignatures, ExtendedErrorCodeOption.DNSSEC_BOGUS, "trap.e2e.test.");
    assertTrue(ede(manySignatures).getText().contains("signatures over one RRset"), ede(manySignatures).getText());
    Message collidingKeys = ask("plain.trap.e2e.test.", Type.A);
    assertBogus(collidingKeys, ExtendedErrorCodeOption.DNSSEC_BOGUS, "trap.e2e.test.");
    assertTrue(ede(collidingKeys).getText().contains("share key tag"), ede(collidingKeys).getText());
    assertEquals(limitsBefore + 2, Meters.value(registry, "dnsgate.dnssec.limit.reached"));
  }

  @Test
  void metricsQueryLogAndExplainReportTheStatus() throws Exception {
    long secureBefore = Meters.value(registry, "dnsgate.dnssec.answers");
    ask("www.e2e.test.", Type.A);
    ask("www.e2e.test.", Type.A); // a cache hit counts too
    assertBogus(ask("tampered.e2e.test.", Type.A), ExtendedErrorCodeOption.DNSSEC_BOGUS, "e2e.test.");
    assertTrue(registry.get("dnsgate.dnssec.answers").tag("status", "secure").counter().count() >= 2);
    assertTrue(registry.get("dnsgate.dnssec.answers").tag("status", "bogus").counter().count() >= 1);
    assertEquals(secureBefore + 3, Meters.value(registry, "dnsgate.dnssec.answers"));

    Eventually.await("query log line for tampered.e2e.test", () -> logLine("tampered.e2e.test.") != null, 5_000);
    JsonObject line = logLine("tampered.e2e.test.");
    assertEquals("bogus", line.getString("dnssec"));
    assertTrue(line.getString("dnssec_reason").startsWith("e2e.test.:"), line.encode());

    HttpResponse<String> explained = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(explain + "?name=tampered.e2e.test&type=A")).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject dnssec = new JsonObject(explained.body()).getJsonObject("dnssec");
    assertEquals("on", dnssec.getString("validation"), explained.body());
    assertEquals("bogus", dnssec.getJsonObject("latest").getString("status"));
    assertNotNull(dnssec.getJsonObject("latest").getString("reason"));
  }

  private static JsonObject logLine(String name) {
    try {
      if (!Files.exists(QUERY_LOG)) {
        return null;
      }
      List<String> lines = Files.readAllLines(QUERY_LOG);
      for (int i = lines.size() - 1; i >= 0; i--) {
        JsonObject line = new JsonObject(lines.get(i));
        if (name.equals(line.getString("name")) && line.containsKey("dnssec")) {
          return line;
        }
      }
      return null;
    } catch (Exception e) {
      return null;
    }
  }
}
