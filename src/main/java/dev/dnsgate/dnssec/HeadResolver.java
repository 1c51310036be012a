package dev.dnsgate.dnssec;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.cache.CacheKey;
import dev.dnsgate.cache.Coalescer;
import dev.dnsgate.upstream.OutboundQuery;
import dev.dnsgate.upstream.Upstream;
import dev.dnsgate.upstream.UpstreamAnswer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * The validator's way upstream: one group's {@link Upstream} (its pipelined DoT/DoH connections)
 * seen as a dnsjava {@link Resolver}. Every query goes with DO=1 (and the CD=1 the validator sets),
 * so that the upstream sends signatures and does not filter what it thinks bogus.
 *
 * <p>DNSKEY and DS lookups go through the answer cache (as a DO=1, CD=1 query of the group, the very
 * entry such a client query would use) and a coalescer: a zone's keys are fetched once however many
 * names of it are validated at once. The question being validated itself is not cached here: the
 * {@code Forwarder} caches its validated answer.
 *
 * <p>The transport settings dnsjava may call are meaningless here (port, TCP, EDNS, TSIG, timeout are
 * the group's own) and ignored. Truncation does not arise: DoT and DoH carry whole messages.
 */
final class HeadResolver implements Resolver {

  private static final int PAYLOAD = 1232;

  private final Upstream upstream;
  private final String group;
  private final AnswerCache cache;
  private final Coalescer<UpstreamAnswer> keyLookups = new Coalescer<>();
  private final int maxLookups;
  private final int maxSignatureChecks;

  /** @param cache the answer cache, or null when caching is off (then lookups are only coalesced) */
  HeadResolver(Upstream upstream, String group, AnswerCache cache, int maxLookups, int maxSignatureChecks) {
    this.upstream = upstream;
    this.group = group;
    this.cache = cache;
    this.maxLookups = maxLookups;
    this.maxSignatureChecks = maxSignatureChecks;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    LookupBudget budget = executor instanceof LookupBudget b ? b : null;
    Record question = query.getQuestion();
    boolean asked = budget != null && budget.isQuestion(question);
    boolean keys = !asked && (question.getType() == Type.DNSKEY || question.getType() == Type.DS);
    CacheKey key = keys ? new CacheKey(question.getName(), question.getType(), question.getDClass(), true, true, group) : null;
    if (key != null && cache != null) {
      AnswerCache.Hit hit = cache.fresh(key);
      if (hit != null) {
        return guarded(hit.message(), budget);
      }
    }
    if (budget != null && !budget.take()) {
      return CompletableFuture.failedFuture(budget.limitReached(new ValidationLimitException(
          ValidationLimitException.Limit.LOOKUPS, null,
          "more than " + maxLookups + " upstream lookups for one validation (dnsgate.dnssec.max-lookups)")));
    }
    OutboundQuery outbound = OutboundQuery.of(withDnssecOk(query), upstream.padding());
    CompletableFuture<UpstreamAnswer> exchange;
    if (key == null) {
      exchange = upstream.resolve(outbound);
      if (asked) {
        exchange = exchange.thenApply(answer -> {
          budget.askedAnswered(answer);
          return answer;
        });
      }
    } else {
      exchange = keyLookups.resolve(key, () -> upstream.resolve(outbound).thenApply(answer -> {
        if (cache != null) {
          cache.put(key, answer);
        }
        return answer;
      }));
    }
    // the validator's next step (signature checks) runs where this completes: the validation pool
    Executor next = executor != null ? executor : Runnable::run;
    return exchange.thenComposeAsync(answer -> guarded(key == null ? answer.message() : answer.message().clone(), budget),
        next);
  }

  /** The answer for the validator, or a failure when checking it would cost more than the limit. */
  private CompletableFuture<Message> guarded(Message answer, LookupBudget budget) {
    try {
      KeyTrapGuard.check(answer, maxSignatureChecks);
      return CompletableFuture.completedFuture(answer);
    } catch (ValidationLimitException e) {
      return CompletableFuture.failedFuture(budget != null ? budget.limitReached(e) : e);
    }
  }

  private static Message withDnssecOk(Message query) {
    OPTRecord opt = query.getOPT();
    if (opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0) {
      return query;
    }
    Message copy = query.clone();
    List<EDNSOption> options = List.of();
    if (opt != null) {
      copy.removeRecord(opt, Section.ADDITIONAL);
      options = opt.getOptions();
    }
    copy.addRecord(new OPTRecord(PAYLOAD, 0, 0, ExtendedFlags.DO, options), Section.ADDITIONAL);
    return copy;
  }

  @Override
  public void setPort(int port) {}

  @Override
  public void setTCP(boolean flag) {}

  @Override
  public void setIgnoreTruncation(boolean flag) {}

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

  @Override
  public void setTSIGKey(TSIG key) {}

  @Override
  public void setTimeout(Duration timeout) {}
}
