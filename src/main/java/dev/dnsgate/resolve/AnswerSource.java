package dev.dnsgate.resolve;

/**
 * Where an answer came from: a small fixed set, safe as a metric label, that the metrics, the query
 * log and (through {@link Answer#detail()}) explanations share. A new kind of answer (an RPZ policy, a
 * validation failure) is a new constant here, and every observer sees it without a change.
 */
public enum AnswerSource {
  UPSTREAM("upstream"),
  CACHE("cache"),
  STALE("stale"),
  /** Forwarded after a rewrite rule changed the name or type. */
  REWRITTEN("rewritten"),
  BLOCKED("blocked"),
  LOCAL("local"),
  /** Decided by a policy zone (RPZ): NXDOMAIN, NODATA, local data or TC=1 for TCP-only. */
  POLICY("policy"),
  FAILED("failed"),
  REFUSED("refused"),
  /** An empty TC=1 answer to a client over its UDP rate, sending it to TCP. */
  RATE_LIMITED("rate-limited"),
  ANY_MINIMAL("any-minimal");

  private final String label;

  AnswerSource(String label) {
    this.label = label;
  }

  /** The name used in metrics and the query log. */
  public String label() {
    return label;
  }
}
