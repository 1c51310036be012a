package dev.dnsgate.upstream;

import java.util.concurrent.CompletableFuture;

/**
 * Something that answers an outbound query: an upstream group today; a validating resolver can wrap
 * one, and a DoH group can stand beside one, without the forwarding code changing.
 */
public interface Upstream {

  /** Completes with an answer that matches the query, or fails with an {@link UpstreamException}. */
  CompletableFuture<UpstreamAnswer> resolve(OutboundQuery query);

  /** Whether queries to this upstream are padded (RFC 8467): fixed when the query is encoded. */
  boolean padding();
}
