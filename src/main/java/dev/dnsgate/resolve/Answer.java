package dev.dnsgate.resolve;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;

/**
 * A response on its way to a client, with where it came from. The provenance feeds the metrics
 * ("answers by source"), the query log and the Extended DNS Error that goes with it.
 *
 * @param message the response, owned by this answer (shaping changes it in place)
 * @param source one of the {@code SOURCE_*} labels: a small fixed set, safe as a metric label
 * @param detail a human reason: the upstream group, the rule and its action, the error
 * @param ede the Extended DNS Error to attach (RFC 8914), or null
 */
public record Answer(Message message, String source, String detail, EDNSOption ede) {

  public static final String UPSTREAM = "upstream";
  public static final String CACHE = "cache";
  public static final String STALE = "stale";
  public static final String REWRITTEN = "rewritten";
  public static final String BLOCKED = "blocked";
  public static final String LOCAL = "local";
  public static final String FAILED = "failed";
  public static final String REFUSED = "refused";
  public static final String TRUNCATED = "rate-limited";
  public static final String ANY = "any-minimal";
  public static final String ERROR = "error";
}
