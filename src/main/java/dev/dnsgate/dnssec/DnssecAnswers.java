package dev.dnsgate.dnssec;

import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.QueryObserver;
import dev.dnsgate.upstream.Validation.Status;
import dev.dnsgate.wire.QueryContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Answers sent to clients by validation status (secure, insecure, bogus, indeterminate), cache hits
 * included: the status is kept with each cache entry. Answers nobody validated (validation off, CD=1,
 * rule answers) are not counted. No name or client labels.
 */
// @Singleton, not @ApplicationScoped: an observer is called on every query (see QueryPipeline).
@Singleton
public class DnssecAnswers implements QueryObserver {

  /** By {@link Status#ordinal()}; null for {@link Status#UNCHECKED}. An array: read on every answer. */
  private final Counter[] byStatus = new Counter[Status.values().length];

  public DnssecAnswers(MeterRegistry registry) {
    for (Status status : Status.values()) {
      if (status != Status.UNCHECKED) {
        byStatus[status.ordinal()] = Counter.builder("dnsgate.dnssec.answers")
            .description("Answers sent whose DNSSEC status was established, by status").tag("status", status.label())
            .register(registry);
      }
    }
  }

  @Override
  public void answered(QueryContext ctx, Answer answer, long nanos) {
    Counter counter = byStatus[answer.validation().status().ordinal()];
    if (counter != null) {
      counter.increment();
    }
  }
}
