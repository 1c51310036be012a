package dev.dnsgate.resolve;

import dev.dnsgate.access.Gate;
import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.cache.Coalescer;
import dev.dnsgate.cache.NanoClock;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.dnssec.DnssecValidation;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.ResponsePolicy;
import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.RuleSet;
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
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

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
 *   <li>answer review: rules that judge answers ({@link ResponsePolicy}, RPZ response-IP triggers)
 *       see what came from the cache or an upstream, only when the rule set has such rules;
 *   <li>shape: the client's ID, question and EDNS view, truncated to its transport's limit; then
 *       every {@link QueryObserver} (metrics, the query log) is told.
 * </ol>
 *
 * <p>A NOTIFY (RFC 1996) skips all of this: it goes to the {@link NotifyReceiver} (the policy
 * zones' transfer sources), which acknowledges it only from a zone's own primary.
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
  private final NotifyReceiver[] notifyReceivers;
  /** What {@link #resolve} completes with when a policy drops the query: no bytes go back. */
  private static final Answer DROP = new Answer(null, null, Rcode.NOERROR, AnswerSource.POLICY, "dropped", null);

  public QueryPipeline(DnsgateConfig config, LiveRules rules, UpstreamGroups upstreams, AnswerCache cache,
      Instance<QueryObserver> observers, Instance<NotifyReceiver> notifyReceivers, MeterRegistry registry,
      DnssecValidation dnssec) {
    this.shaper = new ResponseShaper(config.listen().udpPayloadSize());
    this.decoder = new QueryDecoder(config.listen().udpPayloadSize(), shaper);
    this.gate = new Gate(config.access(), NanoClock.SYSTEM);
    this.ruleAnswers = new RuleAnswers(shaper);
    this.rules = rules;
    this.observers = observers.stream().toArray(QueryObserver[]::new);
    this.notifyReceivers = notifyReceivers.stream().toArray(NotifyReceiver[]::new);
    boolean caching = config.cache().enabled();
    // the seam: each group validating or not, the Forwarder cannot tell (dev.dnsgate.dnssec)
    this.forwarder = new Forwarder(dnssec.wrap(upstreams.all(), caching ? cache : null), cache, caching, shaper);
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
    if (decoded instanceof Decoded.Notify notify) {
      return CompletableFuture.completedFuture(notifyReply(notify));
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
      if (answer == DROP) {
        dropped(QueryObserver.Drop.POLICY);
        return null;
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
    RuleQuery query = new RuleQuery(question.getName(), question.getType(), question.getDClass(), ctx.client(),
        ctx.transport(), ctx.clientName());
    RuleSet set = rules.current();
    Verdict verdict = set.evaluate(query, null);
    verdict.countHits(); // here, where real queries are answered: explain and replays count nothing
    if (!(verdict.outcome() instanceof Outcome.Forward forward)) {
      return CompletableFuture.completedFuture(decided(verdict.rule(), verdict.outcome(), query, ctx));
    }
    CompletableFuture<Answer> forwarded = forwarder.answer(forward.group(), query, ctx);
    return set.reviewsAnswers(verdict) ? forwarded.thenApply(answer -> reviewed(set, query, ctx, answer)) : forwarded;
  }

  /** The answer for a rule's outcome other than a forward: an answer, a drop or a truncation. */
  private Answer decided(Rule rule, Outcome outcome, RuleQuery query, QueryContext ctx) {
    if (outcome instanceof Outcome.Answer answer) {
      return fromRule(rule, answer, query, ctx);
    }
    if (outcome instanceof Outcome.Drop) {
      return DROP;
    }
    Message truncated = Responses.error(ctx, Rcode.NOERROR);
    truncated.getHeader().setFlag(Flags.TC);
    return Answer.of(truncated, AnswerSource.POLICY, detail(rule, outcome), null);
  }

  /**
   * Shows an answer from upstream or the cache to the rules that judge answers, first decision wins;
   * a policy's pass keeps the answer. Parses the answer only here, as the fast path keeps bytes.
   */
  private Answer reviewed(RuleSet set, RuleQuery query, QueryContext ctx, Answer answer) {
    if (answer.source() == AnswerSource.FAILED || answer == DROP) {
      return answer;
    }
    Message message;
    try {
      message = answer.message() != null ? answer.message() : new Message(answer.wire());
    } catch (IOException e) {
      return answer; // our own encoding: cannot happen, and the answer stays as it was
    }
    for (Rule rule : set.responsePolicies()) {
      Outcome outcome = ((ResponsePolicy) rule.action()).review(query, message);
      if (outcome == null) {
        continue;
      }
      if (outcome.policy() != null) {
        outcome.policy().hits().increment();
      }
      rule.hits().increment();
      return outcome instanceof Outcome.Pass ? answer : decided(rule, outcome, query, ctx);
    }
    return answer;
  }

  private static String detail(Rule rule, Outcome outcome) {
    return outcome.policy() != null ? outcome.policy().detail() : rule.name() + " (" + rule.kind() + ")";
  }

  private Answer fromRule(Rule rule, Outcome.Answer answer, RuleQuery query, QueryContext ctx) {
    String detail = detail(rule, answer);
    if (answer.policy() != null) {
      return Answer.of(query.revert(answer.message()), AnswerSource.POLICY, detail, answer.ede());
    }
    AnswerSource source = answer.blocked() ? AnswerSource.BLOCKED : AnswerSource.LOCAL;
    // Block answers go to ever-new names (a 1M-name list), where templates would only churn.
    if (query.rewritten() || answer.blocked()) {
      return Answer.of(query.revert(answer.message()), source, detail, answer.ede());
    }
    return Answer.ready(ruleAnswers.wire(rule, answer, ctx), answer.message().getRcode(), source, detail);
  }

  /** NOERROR from a zone's primary, REFUSED from anyone else; never NOTIMP, as NOTIFY is understood. */
  private byte[] notifyReply(Decoded.Notify notify) {
    Message received = notify.message();
    int rcode = Rcode.REFUSED;
    for (NotifyReceiver receiver : notifyReceivers) {
      rcode = receiver.notified(received.getQuestion().getName(), notify.client());
      if (rcode == Rcode.NOERROR) {
        break;
      }
    }
    Message reply = new Message(received.getHeader().getID());
    reply.getHeader().setOpcode(Opcode.NOTIFY);
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setRcode(rcode);
    if (rcode == Rcode.NOERROR) {
      reply.getHeader().setFlag(Flags.AA);
    }
    reply.addRecord(received.getQuestion(), Section.QUESTION);
    LOG.debugf("NOTIFY for %s from %s: %s", received.getQuestion().getName(), notify.client(), Rcode.string(rcode));
    return reply.toWire();
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
