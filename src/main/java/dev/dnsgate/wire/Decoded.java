package dev.dnsgate.wire;

import java.net.InetAddress;
import org.xbill.DNS.Message;

/**
 * Outcome of reading a client's packet: a query to resolve, an immediate reply (FORMERR, NOTIMP,
 * BADVERS), a NOTIFY for the zone-transfer sources, or nothing at all when the bytes are not a DNS
 * query we could answer.
 */
public sealed interface Decoded {

  /** A well-formed query that goes on through the pipeline. */
  record Query(QueryContext context) implements Decoded {}

  /**
   * A DNS NOTIFY (RFC 1996): a primary says a zone changed; routed to whoever transfers that zone.
   *
   * @param message the NOTIFY as received
   */
  record Notify(Message message, Transport transport, InetAddress client) implements Decoded {}

  /** The header was readable but the query cannot be served; send these bytes back. */
  record Reply(byte[] wire, String reason) implements Decoded {}

  /** Unreadable or not a query (responses are dropped so two proxies cannot loop). */
  record Drop(String reason) implements Decoded {}
}
