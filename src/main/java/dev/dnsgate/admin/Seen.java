package dev.dnsgate.admin;

import dev.dnsgate.resolve.AnswerSource;
import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * One answered query as handed off the query path: only references and numbers, so that the hand-off
 * costs one small object; names become text on the feed's own thread.
 *
 * @param client the client address (already anonymised when so configured, once it is stored)
 * @param detail the deciding rule with its kind, or the upstream group
 */
record Seen(long epochMillis, InetAddress client, Name name, int type, AnswerSource source, String detail,
    int rcode, long nanos) {}
