package dev.dnsgate.resolve;

import dev.dnsgate.upstream.Validation;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;

/**
 * A response on its way to a client, with where it came from. The provenance feeds the metrics
 * ("answers by source"), the query log and the Extended DNS Error that goes with it.
 *
 * @param message the response, owned by this answer (shaping changes it in place); null when
 *     {@code wire} is already shaped for the client
 * @param wire the response already encoded for this client (a cache hit's fast path), or null
 * @param rcode the response's (extended) rcode
 * @param source where it came from
 * @param detail a human reason: the upstream group, the rule and its action, the error
 * @param ede the Extended DNS Error to attach (RFC 8914), or null
 * @param validation what DNSSEC validation made of an upstream answer; unchecked for the rest
 */
public record Answer(Message message, byte[] wire, int rcode, AnswerSource source, String detail, EDNSOption ede,
    Validation validation) {

  public Answer(Message message, byte[] wire, int rcode, AnswerSource source, String detail, EDNSOption ede) {
    this(message, wire, rcode, source, detail, ede, Validation.UNCHECKED);
  }

  public static Answer of(Message message, AnswerSource source, String detail, EDNSOption ede) {
    return new Answer(message, null, message.getRcode(), source, detail, ede);
  }

  public static Answer ready(byte[] wire, int rcode, AnswerSource source, String detail) {
    return new Answer(null, wire, rcode, source, detail, null);
  }

  /** This answer, with what DNSSEC validation made of it. */
  public Answer validated(Validation found) {
    return found == validation ? this : new Answer(message, wire, rcode, source, detail, ede, found);
  }
}
