package dev.dnsgate.resolve;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.upstream.OutboundQuery;
import dev.dnsgate.upstream.UpstreamException;
import dev.dnsgate.upstream.UpstreamGroup;
import dev.dnsgate.upstream.UpstreamSettings;
import dev.dnsgate.wire.Decoded;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.QueryDecoder;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.Responses;
import dev.dnsgate.wire.Transport;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Rcode;

/**
 * The whole query path in one place, from a client's bytes to the bytes sent back:
 *
 * <ol>
 *   <li>decode: bytes to a query, or an immediate FORMERR/NOTIMP, or a silent drop;
 *   <li>upstream: the default DoT group, within the total timeout; SERVFAIL with EDE 23 when none answers;
 *   <li>shape: the client's ID, question and EDNS view, truncated to its transport's limit.
 * </ol>
 *
 * Rules and the cache take their places between decode and upstream: rules first, because they may
 * answer without forwarding or change what is forwarded; the cache second, keyed by the final query.
 */
@ApplicationScoped
public class QueryPipeline {

  private static final Logger LOG = Logger.getLogger(QueryPipeline.class);

  private final QueryDecoder decoder;
  private final ResponseShaper shaper;
  private final UpstreamGroup upstreams;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder malformed = new LongAdder();

  public QueryPipeline(DnsgateConfig config, Vertx vertx) {
    this.shaper = new ResponseShaper(config.listen().udpPayloadSize());
    this.decoder = new QueryDecoder(config.listen().udpPayloadSize(), shaper);
    this.upstreams = new UpstreamGroup(vertx, UpstreamSettings.from(config.upstream()));
  }

  /**
   * Answers one packet. Completes with the bytes to send back, or with null when the packet is to be
   * dropped; never completes exceptionally.
   */
  public CompletableFuture<byte[]> handle(byte[] packet, Transport transport, InetAddress client) {
    Decoded decoded = decoder.decode(packet, transport, client);
    if (decoded instanceof Decoded.Query query) {
      QueryContext ctx = query.context();
      return resolve(ctx)
          .thenApply(answer -> shaper.shape(answer.message(), ctx, answer.ede()))
          .exceptionally(error -> internalError(ctx, error));
    }
    if (decoded instanceof Decoded.Reply reply) {
      malformed.increment();
      LOG.debugf("error reply to %s: %s", client, reply.reason());
      return CompletableFuture.completedFuture(reply.wire());
    }
    dropped.increment();
    LOG.debugf("dropped packet from %s: %s", client, ((Decoded.Drop) decoded).reason());
    return CompletableFuture.completedFuture(null);
  }

  private CompletableFuture<Answer> resolve(QueryContext ctx) {
    return upstreams
        .resolve(OutboundQuery.from(ctx, upstreams.padding()))
        .handle(
            (message, error) ->
                error == null
                    ? new Answer(message, Answer.Source.UPSTREAM, "", null)
                    : networkError(ctx, UpstreamException.of(error)));
  }

  /** RFC 8914 code 23: no upstream could be reached, said in words a person can act on. */
  private static Answer networkError(QueryContext ctx, UpstreamException error) {
    String text = "no upstream answered: " + error.getMessage();
    return new Answer(
        Responses.error(ctx, Rcode.SERVFAIL),
        Answer.Source.FAILED,
        text,
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NETWORK_ERROR, truncated(text)));
  }

  /** EDE text is for people, but an unbounded one would eat the client's UDP size budget. */
  private static String truncated(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120);
  }

  private byte[] internalError(QueryContext ctx, Throwable error) {
    LOG.errorf(error, "could not answer %s", ctx.question());
    return shaper.shape(Responses.error(ctx, Rcode.SERVFAIL), ctx, null);
  }

  public UpstreamGroup upstreams() {
    return upstreams;
  }

  public long droppedPackets() {
    return dropped.sum();
  }

  public long malformedQueries() {
    return malformed.sum();
  }

  void close(@Observes ShutdownEvent event) {
    upstreams.close();
  }
}
