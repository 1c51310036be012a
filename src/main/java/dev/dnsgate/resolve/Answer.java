package dev.dnsgate.resolve;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;

/**
 * A response on its way to a client, with where it came from. The provenance feeds logs and metrics
 * and decides the Extended DNS Error that goes with it.
 *
 * @param message the response, owned by this answer (shaping changes it in place)
 * @param source which stage produced it
 * @param detail a human reason: the upstream's name, the error
 * @param ede the Extended DNS Error to attach (RFC 8914), or null
 */
public record Answer(Message message, Source source, String detail, EDNSOption ede) {

  /** The stage that produced an answer. */
  public enum Source {
    /** Answered by an upstream resolver. */
    UPSTREAM,
    /** Answered by a rule (blocked, local); the detail names the rule. */
    RULE,
    /** Answered from the cache (fresh, or stale when every upstream failed). */
    CACHE,
    /** No upstream could answer: SERVFAIL. */
    FAILED
  }
}
