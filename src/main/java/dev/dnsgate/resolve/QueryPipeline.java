package dev.dnsgate.resolve;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.cache.CacheKey;
import dev.dnsgate.cache.Coalescer;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.RuleEngine;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.Verdict;
import dev.dnsgate.upstream.OutboundQuery;
import dev.dnsgate.upstream.UpstreamException;
import dev.dnsgate.upstream.UpstreamGroup;
import dev.dnsgate.upstream.UpstreamServer;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The whole query path in one place, from a client's bytes to the bytes sent back:
 *
 * <ol>
 *   <li>decode: bytes to a query, or an immediate FORMERR/NOTIMP, or a silent drop; first, because
 *       nothing after it should see bytes it cannot trust;
 *   <li>rules: rewrite, allow/block, local answers, conditional forwarding (see {@code Phase}); before
 *       any upstream work, because they may answer at once or change what is forwarded and where;
 *   <li>upstream: the group the rules chose (default otherwise), within the total timeout; SERVFAIL
 *       with EDE 23 when none answers; a rewritten query's answer is mapped back to the client's name;
 *   <li>shape: the client's ID, question and EDNS view, truncated to its transport's limit.
 * </ol>
 *
 * Between rules and upstream sits the answer cache, keyed by the query after rewrites (and by the
 * upstream group): after the rules, because blocked and local answers are not upstream answers and
 * must follow rule changes at once; before the upstream, with identical misses coalesced into one
 * exchange. When every upstream fails, an expired entry may still answer (serve-stale, EDE 3).
 */
@ApplicationScoped
public class QueryPipeline {

  private static final Logger LOG = Logger.getLogger(QueryPipeline.class);

  private final QueryDecoder decoder;
  private final ResponseShaper shaper;
  private final RuleEngine rules;
  private final Map<String, UpstreamGroup> groups = new HashMap<>();
  private final AnswerCache cache;
  private final boolean caching;
  private final Coalescer coalescer = new Coalescer();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder malformed = new LongAdder();

  public QueryPipeline(DnsgateConfig config, Vertx vertx, RuleEngine rules, AnswerCache cache) {
    this.cache = cache;
    this.caching = config.cache().enabled();
    this.shaper = new ResponseShaper(config.listen().udpPayloadSize());
    this.decoder = new QueryDecoder(config.listen().udpPayloadSize(), shaper);
    this.rules = rules;
    UpstreamSettings defaults = UpstreamSettings.from(config.upstream());
    groups.put(Verdict.DEFAULT_GROUP, new UpstreamGroup(vertx, defaults));
    config.upstream().groups().forEach((name, group) -> groups.put(name, new UpstreamGroup(vertx,
        defaults.withServers(group.servers().stream().map(UpstreamServer::parse).toList())
            .withStrategy(group.strategy().orElse(defaults.strategy())))));
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
    Record question = ctx.question();
    RuleQuery query = new RuleQuery(question.getName(), question.getType(), question.getDClass(), ctx.client());
    Verdict verdict = rules.current().evaluate(query, null);
    if (verdict.outcome() instanceof Outcome.Answer answer) {
      String detail = verdict.rule().name() + " (" + verdict.rule().action() + ")";
      return CompletableFuture.completedFuture(
          new Answer(query.revert(answer.message()), Answer.Source.RULE, detail, answer.ede()));
    }
    String groupName = ((Outcome.Forward) verdict.outcome()).group();
    UpstreamGroup group = groups.get(groupName);
    Record asked = query.rewritten() ? Record.newRecord(query.name(), query.type(), query.dclass()) : question;
    if (!caching) {
      return group.resolve(OutboundQuery.from(ctx, asked, group.padding())).handle((message, error) ->
          error == null
              ? new Answer(query.revert(message), Answer.Source.UPSTREAM, groupName, null)
              : networkError(ctx, UpstreamException.of(error)));
    }
    CacheKey key = new CacheKey(asked.getName(), asked.getType(), asked.getDClass(), ctx.dnssecOk(),
        ctx.query().getHeader().getFlag(Flags.CD), groupName);
    AnswerCache.Hit hit = cache.fresh(key);
    if (hit != null) {
      if (hit.prefetchDue()) {
        fetch(key, group, ctx, asked).whenComplete((m, e) -> cache.prefetchDone(key));
      }
      return CompletableFuture.completedFuture(
          new Answer(query.revert(hit.message()), Answer.Source.CACHE, groupName, null));
    }
    return fetch(key, group, ctx, asked).handle((message, error) -> {
      if (error == null) {
        return new Answer(query.revert(message), Answer.Source.UPSTREAM, groupName, null);
      }
      Message stale = cache.stale(key);
      if (stale != null) {
        return new Answer(query.revert(stale), Answer.Source.CACHE, "stale",
            new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER, "upstreams failed; stale answer"));
      }
      return networkError(ctx, UpstreamException.of(error));
    });
  }

  /** One upstream exchange per key at a time; the answer is cached before anyone sees a copy. */
  private CompletableFuture<Message> fetch(CacheKey key, UpstreamGroup group, QueryContext ctx, Record asked) {
    return coalescer.resolve(key, () -> group.resolve(OutboundQuery.from(ctx, asked, group.padding()))
        .thenApply(message -> {
          cache.put(key, message);
          return message;
        }));
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

  /** The upstream groups by name; "default" is always there. */
  public Map<String, UpstreamGroup> groups() {
    return groups;
  }

  public long droppedPackets() {
    return dropped.sum();
  }

  public Coalescer coalescer() {
    return coalescer;
  }

  public long malformedQueries() {
    return malformed.sum();
  }

  void close(@Observes ShutdownEvent event) {
    groups.values().forEach(UpstreamGroup::close);
  }
}
