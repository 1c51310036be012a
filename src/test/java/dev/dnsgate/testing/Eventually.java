package dev.dnsgate.testing;

import java.util.function.BooleanSupplier;

/** Waits for a condition that background work (health probes) makes true, with a hard deadline. */
public final class Eventually {

  private Eventually() {}

  public static void await(String what, BooleanSupplier condition, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeoutMs + " ms: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
