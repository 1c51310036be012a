package dev.dnsgate.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one upstream that tests and operators read: what was discarded, and why. */
public final class UpstreamStats {

  private final Map<String, LongAdder> discarded = new ConcurrentHashMap<>();

  void discarded(String reason) {
    discarded.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Answers thrown away (wrong ID, wrong question, unparseable), by reason. */
  public long discardedTotal() {
    return discarded.values().stream().mapToLong(LongAdder::sum).sum();
  }
}
