package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Meters;
import dev.dnsgate.testing.ScriptedDotServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The real listeners, a real client, scripted DoT upstreams behind: what clients get back. */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
class ForwardingEndToEndTest {

  @Inject DnsListeners listeners;
  @Inject MeterRegistry registry;
  @Inject AnswerCache cache;

  DnsClient client;

  @BeforeEach
  void setUp() {
    DotUpstreamsResource.resetAll();
    cache.flush();
    client = new DnsClient(listeners.port());
  }

  private SimpleResolver resolver(boolean tcp) throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(listeners.port());
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    return resolver;
  }

  @Test
  void udpAndTcpQueriesAreAnsweredThroughTheDotUpstream() throws Exception {
    for (boolean tcp : new boolean[] {false, true}) {
      Message response = resolver(tcp).send(DnsClient.query((tcp ? "tcp" : "udp") + ".example.test.", Type.A));
      assertEquals(Rcode.NOERROR, response.getRcode());
      ARecord a = (ARecord) DnsClient.firstAnswer(response);
      assertEquals("192.0.2.1", a.getAddress().getHostAddress());
    }
    assertEquals(2, DotUpstreamsResource.primary.received().size());
  }

  @Test
  void clientIdAndMixedCaseQuestionAreEchoedExactly() throws Exception {
    Message query = DnsClient.query("WwW.ExAmPlE.TeSt.", Type.A);
    query.getHeader().setID(0x5A5A);
    byte[] sent = query.toWire();

    Message response = client.udp(query);

    assertEquals(0x5A5A, response.getHeader().getID());
    assertEquals("WwW.ExAmPlE.TeSt.", response.getQuestion().getName().toString());
    byte[] rawReply = client.udpRaw(sent, 5000);
    // the question section (after the 12-byte header) comes back byte for byte
    int questionLength = sent.length - 12;
    assertArrayEquals(
        java.util.Arrays.copyOfRange(sent, 12, 12 + questionLength),
        java.util.Arrays.copyOfRange(rawReply, 12, 12 + questionLength));
  }

  @Test
  void upstreamSeesProxyIdsAndPaddedQueriesNotTheClientsCookie() throws Exception {
    Message query = DnsClient.query("pad.example.test.", Type.A);
    query.getHeader().setID(4242);
    query.addRecord(
        new OPTRecord(4096, 0, 0, ExtendedFlags.DO,
            List.of(new org.xbill.DNS.CookieOption(new byte[8]))),
        Section.ADDITIONAL);

    Message response = client.udp(query);

    assertEquals(4242, response.getHeader().getID());
    assertTrue((response.getOPT().getFlags() & ExtendedFlags.DO) != 0, "DO bit echoed");
    Message upstreamSaw = DotUpstreamsResource.primary.received().get(0);
    assertEquals(0, upstreamSaw.toWire().length % 128, "padded to a 128-byte block");
    assertTrue((upstreamSaw.getOPT().getFlags() & ExtendedFlags.DO) != 0, "DO forwarded");
    assertTrue(upstreamSaw.getOPT().getOptions(EDNSOption.Code.COOKIE).isEmpty(), "cookie is hop-by-hop");
  }

  @Test
  void largeAnswerIsTruncatedOverUdpAndCompleteOverTcp() throws Exception {
    Message query = DnsClient.query(ScriptedDotServer.BIG_NAME, Type.TXT);

    Message overUdp = client.udp(query);
    Message overTcp = client.tcp(query);

    assertTrue(overUdp.getHeader().getFlag(Flags.TC), "TC set over UDP");
    assertTrue(overUdp.toWire().length <= 512, "fits the 512 bytes of a client without EDNS");
    assertTrue(overUdp.getSection(Section.ANSWER).isEmpty(), "no partial RRset");
    assertFalse(overTcp.getHeader().getFlag(Flags.TC));
    assertEquals(8, overTcp.getSection(Section.ANSWER).size());
  }

  @Test
  void realClientRetriesTruncatedAnswerOverTcp() throws Exception {
    Message response = resolver(false).send(DnsClient.query(ScriptedDotServer.BIG_NAME, Type.TXT));

    assertFalse(response.getHeader().getFlag(Flags.TC));
    assertEquals(8, response.getSection(Section.ANSWER).size());
  }

  @Test
  void ednsClientGetsAnswerUpToItsAdvertisedSize() throws Exception {
    DotUpstreamsResource.primary.script(q -> {
      Message medium = ScriptedDotServer.responseTo(q);
      for (int i = 0; i < 3; i++) { // ~650 bytes: over the classic 512, under 700
        medium.addRecord(new TXTRecord(q.getQuestion().getName(), DClass.IN, 300, "m".repeat(200) + i),
            Section.ANSWER);
      }
      return ScriptedDotServer.Reply.answer(medium);
    });
    Message roomy = DnsClient.query("medium.example.test.", Type.TXT);
    roomy.addRecord(new OPTRecord(700, 0, 0), Section.ADDITIONAL);
    Message tight = DnsClient.query("medium.example.test.", Type.TXT);
    tight.addRecord(new OPTRecord(600, 0, 0), Section.ADDITIONAL);

    Message whole = client.udp(roomy);
    Message cut = client.udp(tight);

    assertFalse(whole.getHeader().getFlag(Flags.TC), "700 advertised: all of ~650 bytes fit");
    assertEquals(3, whole.getSection(Section.ANSWER).size());
    assertTrue(cut.getHeader().getFlag(Flags.TC), "600 advertised: cut, so that the client retries over TCP");
    assertEquals(1232, whole.getOPT().getPayloadSize(), "we advertise our own payload size");
  }

  @Test
  void advertisedSizeAboveOurOwnLimitIsCappedAtIt() throws Exception {
    Message query = DnsClient.query(ScriptedDotServer.BIG_NAME, Type.TXT);
    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);

    byte[] reply = client.udpRaw(query.toWire(), 5000);

    // 8 x 200+ bytes of TXT do not fit into our own limit (1232), whatever the client advertised
    assertTrue(reply.length <= 1232, "reply of " + reply.length + " bytes");
    assertTrue(new Message(reply).getHeader().getFlag(Flags.TC));
  }

  @Test
  void pipelinedTcpQueriesAreAnsweredAsTheyCompleteOutOfOrder() throws Exception {
    DotUpstreamsResource.primary.script(
        q -> {
          ScriptedDotServer.Reply reply = ScriptedDotServer.standard(q);
          boolean slow = q.getQuestion().getName().toString().startsWith("slow");
          return slow ? reply.delayed(300) : reply;
        });
    try (DnsClient.TcpSession session = client.tcpSession()) {
      Message slow = DnsClient.query("slow.example.test.", Type.A);
      slow.getHeader().setID(1);
      Message fast = DnsClient.query("fast.example.test.", Type.A);
      fast.getHeader().setID(2);
      session.send(slow.toWire());
      session.send(fast.toWire());

      Message first = new Message(session.receive());
      Message second = new Message(session.receive());

      assertEquals(2, first.getHeader().getID(), "fast answer overtakes the slow one");
      assertEquals(Name.fromString("fast.example.test."), first.getQuestion().getName());
      assertEquals(1, second.getHeader().getID());
      assertEquals(Name.fromString("slow.example.test."), second.getQuestion().getName());
    }
  }

  @Test
  void manyConcurrentClientsShareFewUpstreamConnections() throws Exception {
    int before = DotUpstreamsResource.primary.acceptedConnections();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(50);
    java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
    List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      int n = i;
      done.add(pool.submit(() -> {
        Message r = client.udp(DnsClient.query("c" + n + ".example.test.", Type.A));
        if (r.getRcode() == Rcode.NOERROR && !r.getSection(Section.ANSWER).isEmpty()) {
          answered.incrementAndGet();
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertEquals(50, answered.get());
    assertTrue(DotUpstreamsResource.primary.acceptedConnections() - before <= 2,
        "pipelined over the pool, not one connection per query");
  }

  @Test
  void failoverToSecondUpstreamWhenFirstIsDown() throws Exception {
    DotUpstreamsResource.primary.stop();
    try {
      Message response = client.udp(DnsClient.query("failover.example.test.", Type.A));

      assertEquals(Rcode.NOERROR, response.getRcode());
      assertEquals(1, DotUpstreamsResource.secondary.received().size());
    } finally {
      DotUpstreamsResource.primary.startOn(DotUpstreamsResource.primary.port());
    }
  }

  @Test
  void allUpstreamsSilentGivesServfailWithEde23WithinTheTotalTimeout() throws Exception {
    DotUpstreamsResource.primary.script(q -> ScriptedDotServer.Reply.silence());
    DotUpstreamsResource.secondary.script(q -> ScriptedDotServer.Reply.silence());
    Message query = DnsClient.query("silent.example.test.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

    long start = System.nanoTime();
    Message response = client.udp(query);
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals(Rcode.SERVFAIL, response.getRcode());
    List<EDNSOption> ede = response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertEquals(1, ede.size());
    assertEquals(ExtendedErrorCodeOption.NETWORK_ERROR, ((ExtendedErrorCodeOption) ede.get(0)).getErrorCode());
    assertTrue(tookMs < 1500 + 500, "answered within the total timeout (1.5 s), took " + tookMs);
  }

  @Test
  void malformedPacketsGetFormerrOrAreDroppedAndServiceContinues() throws Exception {
    byte[] valid = DnsClient.query("after.example.test.", Type.A).toWire();
    byte[] garbageBody = java.util.Arrays.copyOf(valid, valid.length - 3); // question cut short
    garbageBody[0] = 0x12;
    garbageBody[1] = 0x34;

    // a header claiming one question, with TC set and nothing after it: dnsjava parses it (no question)
    byte[] truncatedQuestion = {0x12, 0x35, 0x07, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};

    byte[] formerr = client.udpRaw(garbageBody, 2000);
    byte[] noQuestion = client.udpRaw(truncatedQuestion, 2000);
    byte[] shortPacket = client.udpRaw(new byte[] {1, 2, 3}, 300);

    assertNotNull(formerr);
    Message parsed = new Message(formerr);
    assertEquals(0x1234, parsed.getHeader().getID());
    assertEquals(Rcode.FORMERR, parsed.getRcode());
    assertEquals(Rcode.FORMERR, new Message(noQuestion).getRcode());
    assertNull(shortPacket, "unreadable bytes are dropped");
    assertEquals(Rcode.NOERROR, client.udp(new Message(valid)).getRcode());
  }

  @Test
  void otherOpcodesGetNotimp() throws Exception {
    Message update = DnsClient.query("zone.example.test.", Type.SOA);
    update.getHeader().setOpcode(org.xbill.DNS.Opcode.UPDATE);

    Message response = client.udp(update);

    assertEquals(Rcode.NOTIMP, response.getRcode());
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "nothing forwarded");
  }

  @Test
  void notifyForAZoneWeDoNotTransferIsRefusedNotForwarded() throws Exception {
    Message notify = DnsClient.query("zone.example.test.", Type.SOA);
    notify.getHeader().setOpcode(org.xbill.DNS.Opcode.NOTIFY);

    Message response = client.udp(notify);

    assertEquals(Rcode.REFUSED, response.getRcode(), "NOTIFY is understood (policy zones), but not for this zone");
    assertEquals(org.xbill.DNS.Opcode.NOTIFY, response.getHeader().getOpcode());
    assertTrue(DotUpstreamsResource.primary.received().isEmpty(), "nothing forwarded");
  }

  @Test
  void unknownEdnsVersionGetsBadvers() throws Exception {
    Message query = DnsClient.query("v1.example.test.", Type.A);
    query.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);

    Message response = client.udp(query);

    assertEquals(Rcode.BADVERS, response.getRcode());
    assertEquals(0, response.getOPT().getVersion());
  }

  @Test
  void repeatedQueryIsAnsweredFromTheCacheWithEachClientsIdAndCase() throws Exception {
    Message first = DnsClient.query("cached.example.test.", Type.A);
    first.getHeader().setID(111);
    Message second = DnsClient.query("CaChEd.Example.TEST.", Type.A);
    second.getHeader().setID(222);

    Message a = client.udp(first);
    Message b = client.tcp(second);

    assertEquals(1, DotUpstreamsResource.primary.received().size(), "the second one never went upstream");
    assertEquals(111, a.getHeader().getID());
    assertEquals(222, b.getHeader().getID());
    assertEquals("CaChEd.Example.TEST.", b.getQuestion().getName().toString());
    assertTrue(DnsClient.firstAnswer(b).getTTL() <= DnsClient.firstAnswer(a).getTTL());
  }

  @io.quarkus.test.common.http.TestHTTPResource("/cache")
  java.net.URL cacheEndpoint;

  @Test
  void flushingANameMakesTheNextQueryGoUpstreamAgain() throws Exception {
    client.udp(DnsClient.query("flush.example.test.", Type.A));
    client.udp(DnsClient.query("flush.example.test.", Type.A));
    assertEquals(1, DotUpstreamsResource.primary.received().size());

    java.net.http.HttpResponse<String> flushed = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(cacheEndpoint + "?name=FLUSH.example.test")).DELETE().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    client.udp(DnsClient.query("flush.example.test.", Type.A));

    assertEquals(200, flushed.statusCode());
    assertTrue(flushed.body().contains("\"flushed\":1"), flushed.body());
    assertEquals(2, DotUpstreamsResource.primary.received().size());
  }

  @Test
  void identicalQueriesInFlightGoUpstreamOnce() throws Exception {
    DotUpstreamsResource.primary.script(q -> ScriptedDotServer.standard(q).delayed(300));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
    List<java.util.concurrent.Future<Message>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add(pool.submit(() -> client.udp(DnsClient.query("together.example.test.", Type.A))));
    }
    for (java.util.concurrent.Future<Message> f : answers) {
      assertEquals(Rcode.NOERROR, f.get().getRcode());
      assertEquals(1, f.get().getSection(Section.ANSWER).size());
    }
    pool.shutdown();

    assertEquals(1, DotUpstreamsResource.primary.received().size());
  }

  @Test
  void idleTcpClientsDoNotStopUdpServiceAndThePerClientCapHolds() throws Exception {
    List<java.net.Socket> idle = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        java.net.Socket socket = new java.net.Socket();
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), listeners.port()), 3000);
        idle.add(socket);
      }

      Message response = client.udp(DnsClient.query("still.example.test.", Type.A));

      assertEquals(Rcode.NOERROR, response.getRcode());
      java.net.Socket last = idle.get(idle.size() - 1);
      last.setSoTimeout(3000);
      assertEquals(-1, last.getInputStream().read(), "over the per-client cap (64): closed at once");
      assertTrue(Meters.value(registry, "dnsgate.tcp.refused") >= 100);
    } finally {
      for (java.net.Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void tcpConnectionIsClosedAfterItsQueryBudget() throws Exception {
    long closesBefore = Meters.value(registry, "dnsgate.tcp.budget_closes");
    try (DnsClient.TcpSession session = client.tcpSession()) {
      int answered = 0;
      try {
        for (int i = 0; i < 30; i++) {
          session.send(DnsClient.query("budget" + i + ".example.test.", Type.A).toWire());
          session.receive();
          answered++;
        }
      } catch (java.io.IOException closed) {
        // the budget ran out: the server closed the connection
      }
      assertEquals(20, answered, "the test profile allows 20 queries per connection");
    }
    dev.dnsgate.testing.Eventually.await("the close is counted",
        () -> Meters.value(registry, "dnsgate.tcp.budget_closes") == closesBefore + 1, 5_000);
  }

  @Test
  void nxdomainFromUpstreamReachesTheClient() throws Exception {
    Message response = client.tcp(DnsClient.query("gone.nx.test.", Type.A));

    assertEquals(Rcode.NXDOMAIN, response.getRcode());
    Record question = response.getQuestion();
    assertEquals(Name.fromString("gone.nx.test."), question.getName());
  }
}
