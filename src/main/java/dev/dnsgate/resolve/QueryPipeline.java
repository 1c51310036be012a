package dev.dnsgate.resolve;

import dev.dnsgate.access.Gate;
import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.cache.Coalescer;
import dev.dnsgate.cache.NanoClock;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.Verdict;
import dev.dnsgate.upstream.UpstreamGroups;
import dev.dnsgate.wire.Decoded;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.QueryDecoder;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.Responses;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The whole query path in one place, from a client's bytes to the bytes sent back:
 *
 * <ol>
 *   <li>decode: bytes to a query, or an immediate FORMERR/NOTIMP, or a silent drop; first, because
 *       nothing after it should see bytes it cannot trust;
 *   <li>gate: client allowed? within its rate? ANY answered minimally; before the rules, because
 *       its key must be the packet's source address, and refused work should cost nothing more;
 *   <li>rules: rewrite, allow/block, local answers, conditional forwarding (see {@code Phase}); before
 *       any upstream work, because they may answer at once or change what is forwarded and where;
 *   <li>cache: keyed by the query after rewrites and by the upstream group; after the rules, because
 *       blocked and local answers are not upstream answers and must follow rule edits at once;
 *   <li>upstream: the group the rules chose, identical misses coalesced into one exchange, within
 *       the total timeout; serve-stale (EDE 3) or SERVFAIL with EDE 23 when none answers;
 *   <li>shape: the client's ID, question and EDNS view, truncated to its transport's limit; then
 *       every {@link QueryObserver} (metrics, the query log) is told.
 * </ol>
 */
// @Singleton, not @ApplicationScoped: called on every query, and a client proxy looks the instance
// up in its context on each call (~5 % of forward-path samples across the per-query beans).
@Singleton
public class QueryPipeline {

  private static final Logger LOG = Logger.getLogger(QueryPipeline.class);

  private final QueryDecoder decoder;
  private final ResponseShaper shaper;
  private final Gate gate;
  private final LiveRules rules;
  private final Forwarder forwarder;
  private final RuleAnswers ruleAnswers;
  /** An array, not a list: iterated on every query. */
  private final QueryObserver[] observers;
  private final AtomicInteger inFlight = new AtomicInteger();

  public QueryPipeline(DnsgateConfig config, LiveRules rules, UpstreamGroups upstreams, AnswerCache cache,
      Instance<QueryObserver> observers, MeterRegistry registry) {
    this.shaper = new ResponseShaper(config.listen().udpPayloadSize());
    this.decoder = new QueryDecoder(config.listen().udpPayloadSize(), shaper);
    this.gate = new Gate(config.access(), NanoClock.SYSTEM);
    this.ruleAnswers = new RuleAnswers(shaper);
    this.rules = rules;
    this.observers = observers.stream().toArray(QueryObserver[]::new);
    this.forwarder = new Forwarder(Map.copyOf(upstreams.all()), cache, config.cache().enabled(), shaper);
    FunctionCounter.builder("dnsgate.queries.coalesced", forwarder.coalescer(), Coalescer::joinedQueries)
        .description("Cache misses that waited for an identical query's upstream exchange").register(registry);
    Gauge.builder("dnsgate.queries.in_flight", inFlight, AtomicInteger::get)
        .description("Queries received and not yet answered").register(registry);
  }

  /**
   * Answers one packet. Completes with the bytes to send back, or with null when the packet is to be
   * dropped; never completes exceptionally.
   */
  public CompletableFuture<byte[]> handle(byte[] packet, Transport transport, InetAddress client) {
    return handle(packet, transport, client, null);
  }

  /**
   * As {@link #handle(byte[], Transport, InetAddress)}, for a DoT or DoH client that named itself
   * ({@code dev.dnsgate.wire.ClientName}); rules can match the name.
   */
  public CompletableFuture<byte[]> handle(byte[] packet, Transport transport, InetAddress client, String clientName) {
    long start = System.nanoTime();
    Decoded decoded = decoder.decode(packet, transport, client, clientName);
    if (decoded instanceof Decoded.Drop drop) {
      dropped(QueryObserver.Drop.UNREADABLE);
      LOG.debugf("dropped packet from %s: %s", client, drop.reason());
      return CompletableFuture.completedFuture(null);
    }
    if (decoded instanceof Decoded.Reply reply) {
      for (QueryObserver observer : observers) {
        observer.malformed();
      }
      LOG.debugf("error reply to %s: %s", client, reply.reason());
      return CompletableFuture.completedFuture(reply.wire());
    }
    QueryContext ctx = ((Decoded.Query) decoded).context();
    Gate.Admission admission = gate.check(ctx);
    if (admission == Gate.Admission.DROP_DENIED || admission == Gate.Admission.DROP_LIMITED) {
      dropped(admission == Gate.Admission.DROP_DENIED ? QueryObserver.Drop.DENIED : QueryObserver.Drop.RATE_LIMITED);
      return CompletableFuture.completedFuture(null);
    }
    inFlight.incrementAndGet();
    // one stage rather than three: each costs an object and a hand-over on the hot path
    return answer(admission, ctx).handle((answer, error) -> {
      inFlight.decrementAndGet();
      if (error != null) {
        return internalError(ctx, error);
      }
      try {
        return finish(ctx, answer, start);
      } catch (RuntimeException e) {
        return internalError(ctx, e);
      }
    });
  }

  private void dropped(QueryObserver.Drop reason) {
    for (QueryObserver observer : observers) {
      observer.dropped(reason);
    }
  }

  /** The answer for a query the gate let through or answers itself; a bug becomes SERVFAIL, never silence. */
  private CompletableFuture<Answer> answer(Gate.Admission admission, QueryContext ctx) {
    try {
      return switch (admission) {
        case REFUSED -> gated(admission, ctx, AnswerSource.REFUSED);
        case TRUNCATED -> gated(admission, ctx, AnswerSource.RATE_LIMITED);
        case ANY_MINIMAL -> gated(admission, ctx, AnswerSource.ANY_MINIMAL);
        default -> resolve(ctx);
      };
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static CompletableFuture<Answer> gated(Gate.Admission admission, QueryContext ctx, AnswerSource source) {
    return CompletableFuture.completedFuture(Answer.of(Gate.answer(admission, ctx), source, admission.name(), null));
  }

  private byte[] finish(QueryContext ctx, Answer answer, long start) {
    byte[] wire = answer.wire() != null ? answer.wire() : shaper.shape(answer.message(), ctx, answer.ede());
    long nanos = System.nanoTime() - start;
    for (QueryObserver observer : observers) {
      observer.answered(ctx, answer, nanos);
    }
    return wire;
  }

  private CompletableFuture<Answer> resolve(QueryContext ctx) {
    Record question = ctx.question();
    RuleQuery query =
        new RuleQuery(question.getName(), question.getType(), question.getDClass(), ctx.client(), ctx.clientName());
    Verdict verdict = rules.current().evaluate(query, null);
    verdict.countHits(); // here, where real queries are answered: explain and replays count nothing
    if (verdict.outcome() instanceof Outcome.Answer answer) {
      return CompletableFuture.completedFuture(fromRule(verdict.rule(), answer, query, ctx));
    }
    return forwarder.answer(((Outcome.Forward) verdict.outcome()).group(), query, ctx);
  }

  private Answer fromRule(Rule rule, Outcome.Answer answer, RuleQuery query, QueryContext ctx) {
    AnswerSource source = answer.blocked() ? AnswerSource.BLOCKED : AnswerSource.LOCAL;
    String detail = rule.name() + " (" + rule.kind() + ")";
    // Block answers go to ever-new names (a 1M-name list), where templates would only churn.
    if (query.rewritten() || answer.blocked()) {
      return Answer.of(query.revert(answer.message()), source, detail, answer.ede());
    }
    return Answer.ready(ruleAnswers.wire(rule, answer, ctx), answer.message().getRcode(), source, detail);
  }

  private byte[] internalError(QueryContext ctx, Throwable error) {
    LOG.errorf(error, "could not answer %s", ctx.question());
    return shaper.shape(Responses.error(ctx, Rcode.SERVFAIL), ctx, null);
  }

  /** Queries received and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }
}
