package dev.dnsgate.upstream;

import static dev.dnsgate.upstream.UpstreamTestSupport.addresses;
import static dev.dnsgate.upstream.UpstreamTestSupport.idleTimeout;
import static dev.dnsgate.upstream.UpstreamTestSupport.outbound;
import static dev.dnsgate.upstream.UpstreamTestSupport.pinned;
import static dev.dnsgate.upstream.UpstreamTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.config.DnsgateConfig.Upstream.Strategy;
import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.ScriptedDotServer.Reply;
import dev.dnsgate.testing.Settings;
import dev.dnsgate.testing.TestFiles;
import dev.dnsgate.upstream.UpstreamException.Kind;
import io.vertx.core.net.NetServer;
import java.io.FileInputStream;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/** DoT client behaviour against scripted servers: TLS checks, pins, spoofing, pooling, health. */
class DotUpstreamTest extends UpstreamTestBase {

  @Test
  void pinMismatchIsAHardFailure() {
    ScriptedDotServer good = server("dot.test");
    String otherKey = pinOf("wrong.test.pem");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), pinned(Map.of("dot.test", List.of(otherKey)), good));

    assertEquals(Kind.PIN_MISMATCH, failure("x.example.test.").kind());
    assertTrue(good.received().isEmpty());
  }

  @Test
  void matchingPinIsAccepted() throws Exception {
    ScriptedDotServer good = server("dot.test");
    List<String> pins = List.of(pinOf("wrong.test.pem"), pinOf("dot.test.pem"));
    group = new UpstreamGroup(vertx, new EventLoops(vertx), pinned(Map.of("dot.test", pins), good));

    assertEquals(Rcode.NOERROR, resolve("pinned.example.test.").getRcode());
  }

  private static String pinOf(String certFile) {
    try (FileInputStream in = new FileInputStream(TestFiles.tls(certFile))) {
      return SpkiPins.pinOf(CertificateFactory.getInstance("X.509").generateCertificate(in));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void answerWithWrongIdIsDiscarded() {
    ScriptedDotServer liar = server("dot.test");
    liar.script(q -> {
      Message spoof = ScriptedDotServer.responseTo(q);
      spoof.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
      return Reply.answer(spoof);
    });
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(liar));

    assertEquals(Kind.TIMEOUT, failure("spoof.example.test.").kind());
    assertTrue(group.upstreams().get(0).stats().discardedTotal() >= 1);
  }

  @Test
  void answerToAnotherQuestionIsDiscarded() {
    ScriptedDotServer liar = server("dot.test");
    liar.script(q -> {
      Message other = DnsClient.query("evil.example.test.", Type.A);
      other.getHeader().setID(q.getHeader().getID());
      return ScriptedDotServer.standard(other);
    });
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(liar));

    assertEquals(Kind.TIMEOUT, failure("victim.example.test.").kind());
    assertTrue(group.upstreams().get(0).stats().discardedTotal() >= 1);
  }

  @Test
  void pooledConnectionClosedByServerIsRetriedOnceOnAFreshOne() throws Exception {
    ScriptedDotServer flaky = server("dot.test");
    AtomicInteger staleSeen = new AtomicInteger();
    flaky.script(q -> q.getQuestion().getName().toString().startsWith("stale")
        && staleSeen.incrementAndGet() == 1 ? Reply.closeConnection() : ScriptedDotServer.standard(q));
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(flaky));
    resolve("warm.example.test.");

    Message answer = resolve("stale.example.test.");

    assertEquals(Rcode.NOERROR, answer.getRcode());
    assertEquals(2, flaky.acceptedConnections());
    assertEquals(2, staleSeen.get());
  }

  @Test
  void idleConnectionClosesAfterTheIdleTimeoutWhenTheServerSaysNothing() throws Exception {
    ScriptedDotServer silentOnIdle = server("dot.test");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), idleTimeout(Duration.ofMillis(300), silentOnIdle));
    resolve("first.example.test.");
    long answered = System.nanoTime();

    Eventually.await("idle connections closed", () -> silentOnIdle.openConnections() == 0, 5_000);

    long idleMs = (System.nanoTime() - answered) / 1_000_000;
    assertTrue(idleMs >= 250, "closed after " + idleMs + " ms idle");
  }

  @Test
  void serverIdleTimeoutKeepsTheConnectionUntilASecondBeforeItEnds() throws Exception {
    ScriptedDotServer keeping = server("dot.test");
    keeping.script(q -> {
      Message answer = ScriptedDotServer.responseTo(q);
      answer.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new TcpKeepaliveOption(Duration.ofSeconds(3)))),
          Section.ADDITIONAL);
      return Reply.answer(answer);
    });
    group = new UpstreamGroup(vertx, new EventLoops(vertx), idleTimeout(Duration.ofMillis(300), keeping));
    resolve("first.example.test.");
    long answered = System.nanoTime();

    Eventually.await("idle connections closed", () -> keeping.openConnections() == 0, 5_000);

    long idleMs = (System.nanoTime() - answered) / 1_000_000;
    assertTrue(idleMs >= 1_900 && idleMs < 3_000, "closed after " + idleMs + " ms idle, server allows 3,000");
  }

  @Test
  void handshakeThatNeverCompletesFailsWithinTheAttemptTimeout() throws Exception {
    NetServer mute = vertx.createNetServer().connectHandler(socket -> { });
    int port = mute.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
    UpstreamSettings settings =
        settings().forGroup(List.of(UpstreamServer.parse("127.0.0.1:" + port + "#dot.test")), Strategy.FAILOVER);
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings);

    long start = System.nanoTime();
    failure("hang.example.test.");
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertTrue(tookMs < 1600, "bounded by the 1 s attempt timeout, took " + tookMs);
  }

  @Test
  void fastestStrategySendsMostQueriesToTheQuickerServer() throws Exception {
    ScriptedDotServer slow = server("dot.test");
    ScriptedDotServer quick = server("dot.test");
    slow.script(q -> ScriptedDotServer.standard(q).delayed(40));
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings().forGroup(addresses(slow, quick), Strategy.FASTEST));

    for (int i = 0; i < 40; i++) {
      resolve("q" + i + ".example.test.");
    }

    assertTrue(quick.received().size() > 30, "quick got " + quick.received().size() + " of 40");
    assertTrue(slow.received().size() >= 1, "slow was measured too");
  }

  @Test
  void failingServerIsMarkedDownSkippedAndProbedBackIn() throws Exception {
    ScriptedDotServer first = server("dot.test");
    ScriptedDotServer second = server("dot.test");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(first, second));
    GroupServer primary = group.upstreams().get(0);
    first.stop();

    resolve("a.example.test.");
    resolve("b.example.test.");
    assertFalse(primary.isUp(), "down after two failures");
    assertEquals(2, second.received().size());

    first.startOn(first.port());
    Eventually.await("probe brings the server back", primary::isUp, 5000);
    second.reset();
    resolve("c.example.test.");
    List<Message> seen = first.received();
    assertEquals(Name.fromString("c.example.test."), seen.get(seen.size() - 1).getQuestion().getName());
    assertTrue(second.received().isEmpty());
  }

  @Test
  void answersHeldByTheUpstreamsNagleAlgorithmDoNotWaitForADelayedAck() throws Exception {
    ScriptedDotServer nagle = started(new ScriptedDotServer("dot.test").withNagle());
    group = new UpstreamGroup(vertx, new EventLoops(vertx), Settings.upstream(addresses(nagle), u -> {
      u.connectionsPerServer = 1;
      u.attemptTimeout = Duration.ofSeconds(20); // a fresh JVM's first handshake, on a busy machine
      u.totalTimeout = Duration.ofSeconds(20);
    }));
    group.resolve(outbound(DnsClient.query("connect.example.test.", Type.A))).get(20, TimeUnit.SECONDS);
    List<Long> batchMillis = new ArrayList<>();

    for (int round = 0; round < 9; round++) {
      long start = System.nanoTime();
      CompletableFuture<?>[] batch = new CompletableFuture<?>[8];
      for (int i = 0; i < batch.length; i++) {
        batch[i] = group.resolve(outbound(DnsClient.query("r" + round + "q" + i + ".example.test.", Type.A)));
      }
      CompletableFuture.allOf(batch).get(5, TimeUnit.SECONDS);
      batchMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    // The server sends the first answer of a batch at once and holds the rest until it is
    // acknowledged; a delayed ACK would make every batch take ~40 ms.
    List<Long> sorted = batchMillis.stream().sorted().toList();
    assertTrue(sorted.get(4) < 20, "median batch of 8 answers took " + sorted.get(4) + " ms: " + batchMillis);
  }

  @Test
  void aFreshServerIsNotReportedAnsweringUntilAProbeOrQueryComesBack() {
    ScriptedDotServer silent = server("dot.test");
    silent.script(q -> Reply.silence());
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(silent));
    GroupServer upstream = group.upstreams().get(0);

    upstream.probeIfSilent();
    Eventually.await("the probe reaches the server", () -> !silent.received().isEmpty(), 5000);
    assertTrue(upstream.isUp(), "not down: nothing has failed often enough yet");
    assertFalse(upstream.hasAnswered(), "but nothing has answered either");

    silent.reset();
    Eventually.await("a probe once the server answers", () -> {
      upstream.probeIfSilent();
      return upstream.hasAnswered();
    }, 5000);
  }
}
