package dev.dnsgate.upstream;

import static dev.dnsgate.upstream.UpstreamTestSupport.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.ScriptedDotServer.Reply;
import dev.dnsgate.upstream.UpstreamException.Kind;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * A misbehaving first upstream and a healthy second one: every fault ends in the second one's answer
 * within the total timeout, or in a clear failure, and the group keeps serving afterwards.
 */
class UpstreamFaultsTest extends UpstreamTestBase {

  /** The answer comes from {@code good}, within the 2.5 s total timeout. */
  private void answeredByTheHealthyOne(ScriptedDotServer good, String name) throws Exception {
    long start = System.nanoTime();
    Message answer = resolve(name);
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals(Rcode.NOERROR, answer.getRcode());
    assertTrue(good.received().stream().anyMatch(q -> q.getQuestion().getName().toString().equals(name)));
    assertTrue(tookMs < 2500, "within the total timeout: " + tookMs + " ms");
  }

  @Test
  void upstreamThatClosesMidFrameIsFailedOver() throws Exception {
    ScriptedDotServer broken = server("dot.test");
    ScriptedDotServer good = server("dot.test");
    broken.script(q -> Reply.halfFrameThenClose(ScriptedDotServer.responseTo(q)));
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(broken, good));

    answeredByTheHealthyOne(good, "mid.example.test.");
    answeredByTheHealthyOne(good, "again.example.test.");
  }

  @Test
  void upstreamThatResetsTheConnectionIsFailedOver() throws Exception {
    ScriptedDotServer resetting = new ScriptedDotServer("dot.test").resettingConnections().start();
    ScriptedDotServer good = server("dot.test");
    try {
      resetting.script(q -> Reply.closeConnection());
      group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(resetting, good));

      answeredByTheHealthyOne(good, "reset.example.test.");
    } finally {
      resetting.close();
    }
  }

  @Test
  void upstreamThatTricklesOneByteEvery100msIsFailedOver() throws Exception {
    ScriptedDotServer slow = server("dot.test");
    ScriptedDotServer good = server("dot.test");
    slow.script(q -> Reply.trickle(ScriptedDotServer.responseTo(q), 100));
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(slow, good));

    answeredByTheHealthyOne(good, "trickle.example.test.");
  }

  @Test
  void upstreamThatNeverAnswersIsFailedOver() throws Exception {
    ScriptedDotServer mute = server("dot.test");
    ScriptedDotServer good = server("dot.test");
    mute.script(q -> Reply.silence());
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(mute, good));

    answeredByTheHealthyOne(good, "mute.example.test.");
  }

  @Test
  void expiredCertificateIsRefused() {
    ScriptedDotServer expired = server("expired-dot.test");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(expired));

    assertEquals(Kind.TLS, failure("old.example.test.").kind());
    assertTrue(expired.received().isEmpty());
  }

  @Test
  void impostorCertificateAfterAReconnectIsRefusedAndNothingIsSentToIt() throws Exception {
    ScriptedDotServer flipping = server("dot.test");
    ScriptedDotServer good = server("dot.test");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), settings(flipping, good));
    resolve("before.example.test.");
    assertEquals(1, flipping.received().size());

    flipping.restartWith("wrong.test"); // drops the connection; the reconnect meets another name
    flipping.received().clear();

    answeredByTheHealthyOne(good, "after.example.test.");
    assertTrue(flipping.received().isEmpty(), "no query crossed the unverified connection");
  }
}
