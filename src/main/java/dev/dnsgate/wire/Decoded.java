package dev.dnsgate.wire;

/**
 * Outcome of reading a client's packet: a query to resolve, an immediate reply (FORMERR, NOTIMP,
 * BADVERS), or nothing at all when the bytes are not a DNS query we could answer.
 */
public sealed interface Decoded {

  /** A well-formed query that goes on through the pipeline. */
  record Query(QueryContext context) implements Decoded {}

  /** The header was readable but the query cannot be served; send these bytes back. */
  record Reply(byte[] wire, String reason) implements Decoded {}

  /** Unreadable or not a query (responses are dropped so two proxies cannot loop). */
  record Drop(String reason) implements Decoded {}
}
