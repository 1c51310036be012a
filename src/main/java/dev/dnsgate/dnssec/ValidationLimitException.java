package dev.dnsgate.dnssec;

/** A validation stopped by one of its limits: too many upstream lookups, or a KeyTrap-shaped answer. */
final class ValidationLimitException extends RuntimeException {

  /** Which limit, as the metric's label says it. */
  enum Limit {
    LOOKUPS("lookups"),
    SIGNATURES("signatures");

    final String label;

    Limit(String label) {
      this.label = label;
    }
  }

  private final Limit limit;
  private final String zone;

  /** @param zone the zone whose answer ran into the limit, or null when no one zone is to blame */
  ValidationLimitException(Limit limit, String zone, String reason) {
    super(reason, null, false, false);
    this.limit = limit;
    this.zone = zone;
  }

  Limit limit() {
    return limit;
  }

  String zone() {
    return zone;
  }
}
