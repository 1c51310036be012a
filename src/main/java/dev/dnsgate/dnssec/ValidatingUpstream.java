package dev.dnsgate.dnssec;

import dev.dnsgate.upstream.OutboundQuery;
import dev.dnsgate.upstream.Upstream;
import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.upstream.UpstreamException;
import dev.dnsgate.upstream.Validation;
import dev.dnsgate.upstream.Validation.Status;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * An upstream group whose answers are validated: the same {@link Upstream} to the {@code Forwarder},
 * with every answer's {@link Validation} attached and bogus answers turned into SERVFAIL. CD=1
 * queries and names under a negative trust anchor are passed through unvalidated.
 */
final class ValidatingUpstream implements Upstream {

  private final Upstream inner;
  private final String group;
  private final ValidatingResolver validator;
  private final NegativeAnchors negativeAnchors;
  private final Executor pool;
  private final int maxLookups;
  private final DnssecMeters meters;
  private final RecentResults recent;

  ValidatingUpstream(Upstream inner, String group, ValidatingResolver validator, NegativeAnchors negativeAnchors,
      Executor pool, int maxLookups, DnssecMeters meters, RecentResults recent) {
    this.inner = inner;
    this.group = group;
    this.validator = validator;
    this.negativeAnchors = negativeAnchors;
    this.pool = pool;
    this.maxLookups = maxLookups;
    this.meters = meters;
    this.recent = recent;
  }

  @Override
  public boolean padding() {
    return inner.padding();
  }

  @Override
  public CompletableFuture<UpstreamAnswer> resolve(OutboundQuery query) {
    Message asked;
    try {
      asked = new Message(query.wire());
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e); // our own encoding: cannot happen
    }
    Record question = query.question();
    if (asked.getHeader().getFlag(Flags.CD)) {
      // the client validates for itself (RFC 4035 section 3.2.2): it gets what the upstream sent
      return inner.resolve(query).thenApply(answer -> Verdict.unchecked(answer, Validation.UNCHECKED));
    }
    Name negative = negativeAnchors.covering(question.getName());
    if (negative != null) {
      Validation insecure = new Validation(Status.INSECURE, negative.toString(), "negative trust anchor " + negative);
      return inner.resolve(query).thenApply(answer -> Verdict.unchecked(answer, insecure));
    }
    OPTRecord opt = asked.getOPT();
    boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    LookupBudget budget = new LookupBudget(pool, question, maxLookups);
    Context caller = Vertx.currentContext();
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    validator.sendAsync(asked, budget).whenComplete((validated, error) -> {
      UpstreamAnswer answer;
      try {
        answer = error == null ? verdict(validated, budget, question, dnssecOk) : failed(error, budget, asked);
      } catch (RuntimeException e) {
        completeOn(caller, () -> result.completeExceptionally(e));
        return;
      }
      meters.validated(answer.validation());
      recent.remember(question, group, answer.validation());
      completeOn(caller, () -> result.complete(answer));
    });
    return result;
  }

  private UpstreamAnswer verdict(Message validated, LookupBudget budget, Record question, boolean dnssecOk) {
    UpstreamAnswer upstream = budget.asked();
    if (upstream != null) {
      int rcode = upstream.message().getRcode();
      if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
        return Verdict.unchecked(upstream, Validation.UNCHECKED); // an error has no data to prove
      }
    }
    if (budget.limitReached() != null) {
      return limited(validated, budget);
    }
    return Verdict.of(validated, upstream == null ? null : upstream.message(), question.getType(), dnssecOk);
  }

  /**
   * A failed validation: when the question's own exchange failed, the upstream failure as it is (the
   * Forwarder answers it, or serves stale); when a key lookup failed, an indeterminate answer.
   */
  private UpstreamAnswer failed(Throwable error, LookupBudget budget, Message asked) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (budget.limitReached() != null) {
      return limited(asked, budget);
    }
    if (budget.asked() == null) {
      throw UpstreamException.of(cause);
    }
    Validation indeterminate = new Validation(Status.INDETERMINATE, Verdict.zoneOf(budget.asked().message()).toString(),
        "key lookup failed: " + UpstreamException.of(cause).getMessage());
    return Verdict.refused(asked, indeterminate, ExtendedErrorCodeOption.DNSSEC_INDETERMINATE);
  }

  /**
   * A validation stopped by a limit: too many lookups is indeterminate (EDE 5: the chain may be sound,
   * just long); a KeyTrap-shaped answer is bogus (EDE 6), its message naming the zone.
   */
  private UpstreamAnswer limited(Message like, LookupBudget budget) {
    ValidationLimitException limit = budget.limitReached();
    meters.limitReached(limit.limit());
    Name zone = budget.asked() == null ? like.getQuestion().getName() : Verdict.zoneOf(budget.asked().message());
    if (limit.limit() == ValidationLimitException.Limit.LOOKUPS) {
      return Verdict.refused(like, new Validation(Status.INDETERMINATE, zone.toString(), limit.getMessage()),
          ExtendedErrorCodeOption.DNSSEC_INDETERMINATE);
    }
    return Verdict.refused(like, new Validation(Status.BOGUS, limit.zone(), limit.getMessage()),
        ExtendedErrorCodeOption.DNSSEC_BOGUS);
  }

  /** Back on the caller's event loop, so that listeners see their answer where they asked. */
  private static void completeOn(Context caller, Runnable completion) {
    if (caller == null) {
      completion.run();
    } else {
      caller.runOnContext(ignored -> completion.run());
    }
  }
}
