package dev.dnsgate.whatif;

import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.QueryObserver;
import dev.dnsgate.rules.RulesReplaced;
import dev.dnsgate.wire.QueryContext;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jboss.logging.Logger;
import org.xbill.DNS.Record;

/**
 * In dev mode ({@code ./mvnw quarkus:dev}) only: remembers the last {@link #SIZE} queries this
 * instance answered, and after each reload of the rules says in the console how many of them the new
 * rules would answer differently, by kind. Elsewhere it keeps nothing.
 */
// @Singleton, not @ApplicationScoped: an observer is called on every query (see QueryLog).
@Singleton
public class DevReplay implements QueryObserver {

  static final int SIZE = 10_000;
  private static final Logger LOG = Logger.getLogger(DevReplay.class);

  private final boolean enabled;
  private final AtomicReferenceArray<RecordedQuery> ring = new AtomicReferenceArray<>(SIZE);
  private final AtomicLong next = new AtomicLong();

  public DevReplay() {
    this(LaunchMode.current() == LaunchMode.DEVELOPMENT);
  }

  DevReplay(boolean enabled) {
    this.enabled = enabled;
  }

  @Override
  public void answered(QueryContext ctx, Answer answer, long nanos) {
    if (enabled) {
      Record q = ctx.question();
      ring.set((int) (next.getAndIncrement() % SIZE), new RecordedQuery(q.getName(), q.getType(), ctx.client()));
    }
  }

  /** The remembered queries, oldest first. */
  List<RecordedQuery> recent() {
    long end = next.get();
    List<RecordedQuery> queries = new ArrayList<>();
    for (long i = Math.max(0, end - SIZE); i < end; i++) {
      RecordedQuery q = ring.get((int) (i % SIZE));
      if (q != null) {
        queries.add(q);
      }
    }
    return queries;
  }

  void rulesReplaced(@Observes RulesReplaced event) {
    if (enabled) {
      LOG.info(summary(event));
    }
  }

  /** The console line: "12 of the last 340 queries would now be answered differently (newly-blocked 12)". */
  String summary(RulesReplaced event) {
    Replay replay = new Replay(event.previous(), event.current());
    recent().forEach(replay::add);
    StringJoiner kinds = new StringJoiner(", ", " (", ")");
    kinds.setEmptyValue("");
    for (ChangeKind kind : ChangeKind.values()) {
      long queries = replay.tally(kind).queries();
      if (queries > 0) {
        kinds.add(kind.label() + " " + queries);
      }
    }
    return String.format("rules reloaded: %d of the last %d queries seen here would now be answered differently%s",
        replay.changed(), replay.replayed(), kinds);
  }
}
