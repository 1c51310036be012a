package dev.dnsgate.upstream;

/**
 * What DNSSEC validation (dev.dnsgate.dnssec) made of an answer: its status, and for anything but a
 * plain secure or unchecked answer the zone at fault and the validator's reason, for explain, the
 * query log and the EXTRA-TEXT of a SERVFAIL.
 *
 * @param zone the zone whose data or keys decided the status, or null
 * @param reason the validator's words, or null
 */
public record Validation(Status status, String zone, String reason) {

  /** The status words of RFC 4035 section 4.3, plus "not validated at all". */
  public enum Status {
    /** Validation is off, or does not apply (CD=1, a group without validation). */
    UNCHECKED("unchecked"),
    SECURE("secure"),
    /** No anchor covers the name, it is proven unsigned, or a negative trust anchor covers it. */
    INSECURE("insecure"),
    BOGUS("bogus"),
    /** Validation could not finish: key lookups failed or a limit was reached. */
    INDETERMINATE("indeterminate");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    /** The word in metrics, the query log and explain. */
    public String label() {
      return label;
    }
  }

  public static final Validation UNCHECKED = new Validation(Status.UNCHECKED, null, null);

  /** "zone: reason" as people read it, or null without a reason. */
  public String explained() {
    return reason == null ? null : (zone == null ? reason : zone + ": " + reason);
  }

  /** Bogus and indeterminate answers are refused: SERVFAIL, never the data. */
  public boolean refused() {
    return status == Status.BOGUS || status == Status.INDETERMINATE;
  }
}
