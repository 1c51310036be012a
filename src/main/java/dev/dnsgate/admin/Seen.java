package dev.dnsgate.admin;

import dev.dnsgate.resolve.AnswerSource;
import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * One answered query as handed off the query path: only references and numbers, so that the hand-off
 * costs one small object. Counted and kept as it is; it becomes text only when an operator asks.
 *
 * @param client the client address (its network only, once stored, when anonymised), or null
 * @param detail the deciding rule with its kind, or the upstream group
 */
record Seen(long epochMillis, InetAddress client, Name name, int type, AnswerSource source, String detail,
    int rcode, long nanos) {

  Seen withClient(InetAddress other) {
    return new Seen(epochMillis, other, name, type, source, detail, rcode, nanos);
  }
}
