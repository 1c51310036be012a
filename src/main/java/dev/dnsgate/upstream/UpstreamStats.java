package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** Counters of one upstream that tests and metrics read. */
public final class UpstreamStats {

  private final Map<String, LongAdder> discarded = new ConcurrentHashMap<>();
  private final Map<Kind, LongAdder> failures = new EnumMap<>(Kind.class);
  private final LongAdder connects = new LongAdder();
  private volatile LongConsumer latency = nanos -> { };

  UpstreamStats() {
    for (Kind kind : Kind.values()) {
      failures.put(kind, new LongAdder());
    }
  }

  void discarded(String reason) {
    discarded.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  void failed(Kind kind) {
    failures.get(kind).increment();
  }

  void connected() {
    connects.increment();
  }

  void answered(long nanos) {
    latency.accept(nanos);
  }

  /** Receives the time of every answered attempt (the metrics' histogram). */
  public void onLatency(LongConsumer listener) {
    this.latency = listener;
  }

  /** Answers thrown away (wrong ID, wrong question, unparseable). */
  public long discardedTotal() {
    return discarded.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long failures(Kind kind) {
    return failures.get(kind).sum();
  }

  public long connects() {
    return connects.sum();
  }
}
