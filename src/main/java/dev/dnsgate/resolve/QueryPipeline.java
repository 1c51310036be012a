package dev.dnsgate.resolve;

import dev.dnsgate.access.Gate;
import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.cache.Coalescer;
import dev.dnsgate.cache.NanoClock;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.ops.DnsMetrics;
import dev.dnsgate.ops.QueryLog;
import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.RuleEngine;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.Verdict;
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
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.HashMap;
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
 *       metrics and the query log.
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
  private final RuleEngine rules;
  private final Map<String, UpstreamGroup> groups = new HashMap<>();
  private final Forwarder forwarder;
  private final RuleAnswers ruleAnswers;
  private final DnsMetrics metrics;
  private final QueryLog queryLog;
  private final AtomicInteger inFlight = new AtomicInteger();

  public QueryPipeline(DnsgateConfig config, Vertx vertx, RuleEngine rules, AnswerCache cache,
      DnsMetrics metrics, QueryLog queryLog) {
    this.shaper = new ResponseShaper(config.listen().udpPayloadSize());
    this.decoder = new QueryDecoder(config.listen().udpPayloadSize(), shaper);
    this.gate = new Gate(config.access(), NanoClock.SYSTEM);
    this.ruleAnswers = new RuleAnswers(shaper);
    this.rules = rules;
    this.metrics = metrics;
    this.queryLog = queryLog;
    UpstreamSettings defaults = UpstreamSettings.from(config.upstream());
    groups.put(Verdict.DEFAULT_GROUP, new UpstreamGroup(vertx, defaults));
    config.upstream().groups().forEach((name, group) -> groups.put(name, new UpstreamGroup(vertx,
        defaults.forGroup(group.servers().stream().map(UpstreamServer::parse).toList(),
            group.strategy().orElse(defaults.strategy())))));
    this.forwarder = new Forwarder(groups, cache, config.cache().enabled(), shaper);
  }

  /**
   * Answers one packet. Completes with the bytes to send back, or with null when the packet is to be
   * dropped; never completes exceptionally.
   */
  public CompletableFuture<byte[]> handle(byte[] packet, Transport transport, InetAddress client) {
    long start = System.nanoTime();
    Decoded decoded = decoder.decode(packet, transport, client);
    if (decoded instanceof Decoded.Drop drop) {
      metrics.dropped("unreadable");
      LOG.debugf("dropped packet from %s: %s", client, drop.reason());
      return CompletableFuture.completedFuture(null);
    }
    if (decoded instanceof Decoded.Reply reply) {
      metrics.malformed();
      LOG.debugf("error reply to %s: %s", client, reply.reason());
      return CompletableFuture.completedFuture(reply.wire());
    }
    QueryContext ctx = ((Decoded.Query) decoded).context();
    Gate.Verdict verdict = gate.check(ctx);
    if (verdict == Gate.Verdict.DROP_DENIED || verdict == Gate.Verdict.DROP_LIMITED) {
      metrics.dropped(verdict == Gate.Verdict.DROP_DENIED ? "denied" : "rate-limited");
      return CompletableFuture.completedFuture(null);
    }
    inFlight.incrementAndGet();
    // one stage rather than three: each costs an object and a hand-over on the hot path
    return answer(verdict, ctx).handle((answer, error) -> {
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

  /** The answer for a query the gate let through or answers itself; a bug becomes SERVFAIL, never silence. */
  private CompletableFuture<Answer> answer(Gate.Verdict verdict, QueryContext ctx) {
    try {
      return switch (verdict) {
        case REFUSED -> gated(verdict, ctx, Answer.REFUSED);
        case TRUNCATED -> gated(verdict, ctx, Answer.TRUNCATED);
        case ANY_MINIMAL -> gated(verdict, ctx, Answer.ANY);
        default -> resolve(ctx);
      };
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static CompletableFuture<Answer> gated(Gate.Verdict verdict, QueryContext ctx, String source) {
    return CompletableFuture.completedFuture(Answer.of(Gate.answer(verdict, ctx), source, verdict.name(), null));
  }

  private byte[] finish(QueryContext ctx, Answer answer, long start) {
    int rcode = answer.rcode();
    byte[] wire = answer.wire() != null ? answer.wire() : shaper.shape(answer.message(), ctx, answer.ede());
    long nanos = System.nanoTime() - start;
    metrics.answered(ctx.transport(), ctx.question().getType(), rcode, answer.source(), nanos);
    queryLog.log(ctx, answer, rcode, nanos);
    return wire;
  }

  private CompletableFuture<Answer> resolve(QueryContext ctx) {
    Record question = ctx.question();
    RuleQuery query = new RuleQuery(question.getName(), question.getType(), question.getDClass(), ctx.client());
    Verdict verdict = rules.current().evaluate(query, null);
    if (verdict.outcome() instanceof Outcome.Answer answer) {
      return CompletableFuture.completedFuture(fromRule(verdict.rule(), answer, query, ctx));
    }
    return forwarder.answer(((Outcome.Forward) verdict.outcome()).group(), query, ctx);
  }

  private Answer fromRule(Rule rule, Outcome.Answer answer, RuleQuery query, QueryContext ctx) {
    String source = rule.action().equals("block") ? Answer.BLOCKED : rule.action();
    String detail = rule.name() + " (" + rule.action() + ")";
    // Block answers go to ever-new names (a 1M-name list), where templates would only churn.
    if (query.rewritten() || source.equals(Answer.BLOCKED)) {
      return Answer.of(query.revert(answer.message()), source, detail, answer.ede());
    }
    return Answer.ready(ruleAnswers.wire(rule, answer, ctx), answer.message().getRcode(), source, detail);
  }

  private byte[] internalError(QueryContext ctx, Throwable error) {
    LOG.errorf(error, "could not answer %s", ctx.question());
    return shaper.shape(Responses.error(ctx, Rcode.SERVFAIL), ctx, null);
  }

  /** The upstream groups by name; "default" is always there. */
  public Map<String, UpstreamGroup> groups() {
    return groups;
  }

  public Coalescer<?> coalescer() {
    return forwarder.coalescer();
  }

  /** Queries received and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /** After the listeners have bound (default priority 2500), so connections avoid their loops. */
  void warmUp(@Observes @Priority(3000) StartupEvent event) {
    groups.values().forEach(UpstreamGroup::warmUp);
  }

  /** Upstream connections close last, after the listeners have drained (see DnsListeners.stop). */
  void close(@Observes @Priority(2000) ShutdownEvent event) {
    groups.values().forEach(UpstreamGroup::close);
  }
}
