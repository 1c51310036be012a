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
  private volatile boolean exhausted;

  LookupBudget(Executor pool, Record question, int lookups) {
    this.pool = pool;
    this.question = question;
    this.left = new AtomicInteger(lookups);
  }

  @Override
  public void execute(Runnable command) {
    pool.execute(command);
  }

  /** Takes one lookup; false (and remembered) when the allowance is spent. */
  boolean take() {
    if (left.getAndDecrement() > 0) {
      return true;
    }
    exhausted = true;
    return false;
  }

  boolean exhausted() {
    return exhausted;
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
