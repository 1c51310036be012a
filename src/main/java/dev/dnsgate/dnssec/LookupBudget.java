package dev.dnsgate.dnssec;

import dev.dnsgate.upstream.UpstreamAnswer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Record;

/**
 * One validation's allowance of upstream lookups, carried as the {@link Executor} dnsjava's
 * validator hands to every head-resolver call it makes for that validation: so each validation
 * counts its own lookups without thread-locals, and its continuations run on the validation pool.
 * Also keeps the upstream's answer to the question itself, which the verdict needs.
 */
final class LookupBudget implements Executor {

  private final Executor pool;
  private final Record question;
  private final AtomicInteger left;
  private volatile UpstreamAnswer asked;
  private volatile ValidationLimitException limitReached;

  LookupBudget(Executor pool, Record question, int lookups) {
    this.pool = pool;
    this.question = question;
    this.left = new AtomicInteger(lookups);
  }

  @Override
  public void execute(Runnable command) {
    pool.execute(command);
  }

  /** Takes one lookup; false when the allowance is spent. */
  boolean take() {
    return left.getAndDecrement() > 0;
  }

  /** Remembers the first limit this validation ran into: its outcome, whatever dnsjava makes of the failure. */
  ValidationLimitException limitReached(ValidationLimitException limit) {
    if (limitReached == null) {
      limitReached = limit;
    }
    return limit;
  }

  /** The limit this validation ran into, or null. */
  ValidationLimitException limitReached() {
    return limitReached;
  }

  /** Whether {@code lookup} asks the question being validated (rather than for keys). */
  boolean isQuestion(Record lookup) {
    return lookup.getType() == question.getType() && lookup.getName().equals(question.getName());
  }

  void askedAnswered(UpstreamAnswer answer) {
    asked = answer;
  }

  /** The upstream's answer to the question itself, or null when it never came. */
  UpstreamAnswer asked() {
    return asked;
  }
}
