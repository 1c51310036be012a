package dev.dnsgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.upstream.UpstreamException.Kind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Down after N failures in a row, probes doubling up to a minute, latency as a moving average. */
class ServerHealthTest {

  static final UpstreamException TIMEOUT = new UpstreamException(Kind.TIMEOUT, "no answer in time");

  @Test
  void goesDownOnTheNthFailureInARowOnlyOnce() {
    ServerHealth health = new ServerHealth(3, 1000);

    assertFalse(health.failed(TIMEOUT));
    assertFalse(health.failed(TIMEOUT));
    assertTrue(health.failed(TIMEOUT), "the third failure takes it down");
    assertFalse(health.isUp());
    assertFalse(health.failed(TIMEOUT), "already down: no second probe schedule");
    assertEquals("no answer in time", health.lastError());
  }

  @Test
  void anAnswerResetsTheFailureCount() {
    ServerHealth health = new ServerHealth(3, 1000);
    health.failed(TIMEOUT);
    health.failed(TIMEOUT);

    health.answered(TimeUnit.MILLISECONDS.toNanos(5));

    assertFalse(health.failed(TIMEOUT));
    assertTrue(health.isUp());
  }

  @Test
  void saturationIsOurOwnLimitAndNeverTakesTheServerDown() {
    ServerHealth health = new ServerHealth(1, 1000);

    assertFalse(health.failed(new UpstreamException(Kind.SATURATED, "all connections at their cap")));

    assertTrue(health.isUp());
  }

  @Test
  void probeIntervalDoublesUpToAMinuteAndAnAnsweredProbeBringsItBack() {
    ServerHealth health = new ServerHealth(1, 1000);
    health.failed(TIMEOUT);
    assertEquals(1000, health.probeIntervalMs());

    assertEquals(2000, health.probeFailed(TIMEOUT));
    assertEquals(4000, health.probeFailed(TIMEOUT));
    for (int i = 0; i < 10; i++) {
      health.probeFailed(TIMEOUT);
    }
    assertEquals(ServerHealth.MAX_PROBE_INTERVAL_MS, health.probeFailed(TIMEOUT));

    health.probeAnswered();
    assertTrue(health.isUp());
    assertTrue(health.failed(TIMEOUT), "down again at once: the count restarted");
    assertEquals(1000, health.probeIntervalMs(), "and probing starts from the first interval");
  }

  @Test
  void latencyIsAMovingAverageStartingAtTheFirstSample() {
    ServerHealth health = new ServerHealth(3, 1000);
    assertTrue(Double.isNaN(health.latencyMillis()));

    health.answered(TimeUnit.MILLISECONDS.toNanos(10));
    assertEquals(10.0, health.latencyMillis(), 1e-9);
    health.answered(TimeUnit.MILLISECONDS.toNanos(20));
    assertEquals(10.0 + ServerHealth.EWMA_WEIGHT * 10, health.latencyMillis(), 1e-9);
  }
}
