package dev.dnsgate.dnssec;

/** A validation wanted more upstream lookups than {@code dnsgate.dnssec.max-lookups} allows. */
final class LookupLimitException extends RuntimeException {

  LookupLimitException(int limit) {
    super("more than " + limit + " upstream lookups for one validation", null, false, false);
  }
}
