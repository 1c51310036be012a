package dev.dnsgate.dnssec;

import dev.dnsgate.upstream.Validation;
import dev.dnsgate.upstream.Validation.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Validations by status, and validations stopped by a limit (by limit): labels from fixed sets only,
 * never a name or a client.
 */
final class DnssecMeters {

  /** dnsjava's reasons when its own limits stop a validation (messages.properties). */
  private static final String TOO_MANY_SIGNATURES = "too many signatures";
  private static final String DS_MATCH_MAX = "DS match max";

  private final Map<Status, Counter> validations = new EnumMap<>(Status.class);
  private final Counter lookupLimit;
  private final Counter signatureLimit;
  private final Counter dsMatchLimit;

  DnssecMeters(MeterRegistry registry) {
    for (Status status : Status.values()) {
      if (status != Status.UNCHECKED) {
        validations.put(status, Counter.builder("dnsgate.dnssec.validations")
            .description("Upstream answers validated, by result").tag("status", status.label()).register(registry));
      }
    }
    lookupLimit = limit(registry, "lookups");
    signatureLimit = limit(registry, "signatures");
    dsMatchLimit = limit(registry, "ds-matches");
  }

  private static Counter limit(MeterRegistry registry, String limit) {
    return Counter.builder("dnsgate.dnssec.limit.reached")
        .description("Validations stopped by a KeyTrap limit (dnsgate.dnssec.max-*), by limit")
        .tag("limit", limit).register(registry);
  }

  void validated(Validation validation) {
    Counter counter = validations.get(validation.status());
    if (counter != null) {
      counter.increment();
    }
    String reason = validation.reason();
    if (reason != null && validation.status() == Status.BOGUS) {
      if (reason.contains(TOO_MANY_SIGNATURES)) {
        signatureLimit.increment();
      } else if (reason.contains(DS_MATCH_MAX)) {
        dsMatchLimit.increment();
      }
    }
  }

  void limitReached(ValidationLimitException.Limit limit) {
    (limit == ValidationLimitException.Limit.LOOKUPS ? lookupLimit : signatureLimit).increment();
  }
}
