package dev.dnsgate.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * Waits for a condition that background work (health probes, reloads, closes) makes true, with a
 * hard deadline, polling every 10 ms rather than spinning a core the code under test needs.
 */
public final class Eventually {

  private static final Duration POLL = Duration.ofMillis(10);

  private Eventually() {}

  public static void await(String what, BooleanSupplier condition, long timeoutMs) {
    Awaitility.await(what)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(Duration.ofMillis(timeoutMs))
        .until(condition::getAsBoolean);
  }
}
