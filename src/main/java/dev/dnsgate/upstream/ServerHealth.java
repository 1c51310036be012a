package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;

/**
 * Whether one server is worth asking first, from the outcomes of its attempts: {@code
 * failuresBeforeDown} failures in a row mark it down; probes then bring it back, at intervals
 * doubling from the first up to a minute. Keeps a moving average of answer time for the fastest
 * strategy. Plain state with no timers or I/O, so every rule is tested on its own. Attempts end on
 * several event loops, so changes are synchronized; what queries read on every attempt (up, latency)
 * is volatile and read without the lock.
 */
final class ServerHealth {

  static final long MAX_PROBE_INTERVAL_MS = 60_000;
  /** Weight of the newest sample in the latency moving average. */
  static final double EWMA_WEIGHT = 0.2;

  private final int failuresBeforeDown;
  private final long firstProbeIntervalMs;
  private int consecutiveFailures;
  private long probeIntervalMs;
  private volatile boolean down;
  private volatile double latencyMillis = Double.NaN;
  private volatile String lastError = "";
  /** Until the server has answered once, "up" is only a guess (readiness must not report it). */
  private volatile boolean answeredOnce;

  ServerHealth(int failuresBeforeDown, long firstProbeIntervalMs) {
    this.failuresBeforeDown = failuresBeforeDown;
    this.firstProbeIntervalMs = firstProbeIntervalMs;
  }

  synchronized void answered(long nanos) {
    double sample = nanos / 1e6;
    latencyMillis = Double.isNaN(latencyMillis) ? sample : latencyMillis + EWMA_WEIGHT * (sample - latencyMillis);
    consecutiveFailures = 0;
    answeredOnce = true;
  }

  /**
   * Records a failed attempt.
   *
   * @return true when this failure took the server down: the caller starts probing it
   */
  synchronized boolean failed(UpstreamException cause) {
    lastError = cause.getMessage();
    if (cause.kind() == Kind.SATURATED) {
      return false; // our own limit, not the server's fault
    }
    consecutiveFailures++;
    if (down || consecutiveFailures < failuresBeforeDown) {
      return false;
    }
    down = true;
    probeIntervalMs = firstProbeIntervalMs;
    return true;
  }

  /** A probe failed; returns how long to wait before the next one. */
  synchronized long probeFailed(UpstreamException cause) {
    lastError = cause.getMessage();
    probeIntervalMs = Math.min(probeIntervalMs * 2, MAX_PROBE_INTERVAL_MS);
    return probeIntervalMs;
  }

  synchronized void probeAnswered() {
    consecutiveFailures = 0;
    down = false;
    answeredOnce = true;
  }

  /** Keeps the error of an attempt that does not count for health (a readiness probe) for operators to read. */
  void noted(UpstreamException cause) {
    lastError = cause.getMessage();
  }

  boolean hasAnswered() {
    return answeredOnce;
  }

  /** How long to wait before the first probe after going down. */
  synchronized long probeIntervalMs() {
    return probeIntervalMs;
  }

  boolean isUp() {
    return !down;
  }

  synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** Moving average of answer time in milliseconds; NaN before the first answer. */
  double latencyMillis() {
    return latencyMillis;
  }

  String lastError() {
    return lastError;
  }
}
