package dev.dnsgate.whatif;

import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.match.Criteria;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * Runs recorded queries through two rule sets and tallies the ones a client would see answered
 * differently. Identical queries (name, type, and client when any rule looks at clients) are
 * evaluated once: the comparison is remembered for up to {@link #REMEMBERED} distinct queries,
 * beyond which new ones are evaluated each time they come, so memory stays bounded. Safe for several
 * threads (the rule sets are immutable and evaluation is pure).
 */
public final class Replay {

  static final int REMEMBERED = 250_000;

  private record Key(Name name, int type, InetAddress client) {}

  /** A remembered comparison; {@code name} as the first query with this key asked it, for the tallies. */
  private record Change(ChangeKind kind, String before, String after, Name name) {}

  private static final Change SAME = new Change(null, null, null, null);

  private final RuleSet current;
  private final RuleSet candidate;
  private final boolean byClient;
  /** By {@link Key} for queries given parsed, by their text for query-log lines (parsed only when new). */
  private final Map<Object, Change> remembered = new ConcurrentHashMap<>();
  private final Map<ChangeKind, Tally> tallies = new EnumMap<>(ChangeKind.class);
  private final LongAdder replayed = new LongAdder();
  private final LongAdder changed = new LongAdder();
  private final LongAdder evaluated = new LongAdder();

  public Replay(RuleSet current, RuleSet candidate) {
    this.current = current;
    this.candidate = candidate;
    this.byClient = looksAtClients(current) || looksAtClients(candidate);
    for (ChangeKind kind : ChangeKind.values()) {
      tallies.put(kind, new Tally());
    }
  }

  private static boolean looksAtClients(RuleSet rules) {
    for (Rule rule : rules.all()) {
      if (rule.matcher() instanceof Criteria c && c.clients() != null) {
        return true;
      }
    }
    return false;
  }

  public void add(RecordedQuery query) {
    Key key = new Key(query.name(), query.type(), byClient ? query.client() : null);
    count(remembered(key, () -> query), query.client() == null ? null : query.client().getHostAddress());
  }

  /**
   * A query as the query log writes it, as text: parsed only when no identical line came before, as
   * parsing the name and address of every line costs more than the rest of the replay.
   *
   * @throws IllegalArgumentException when the text is not a query (the line is malformed)
   */
  public void add(String name, String type, String client) {
    String lowerName = name.toLowerCase(Locale.ROOT);
    String key = byClient ? lowerName + ' ' + type + ' ' + client : lowerName + ' ' + type;
    count(remembered(key, () -> QueryLogReader.query(name, type, client)), client);
  }

  /** The comparison for {@code key}, evaluated once while there is room to remember it. */
  private Change remembered(Object key, Supplier<RecordedQuery> query) {
    Change change = remembered.get(key);
    if (change != null) {
      return change;
    }
    if (remembered.size() < REMEMBERED) {
      return remembered.computeIfAbsent(key, k -> evaluate(query.get()));
    }
    return evaluate(query.get());
  }

  private Change evaluate(RecordedQuery query) {
    Decision before = Decision.of(current, query);
    Decision after = Decision.of(candidate, query);
    ChangeKind kind = before.changeTo(after);
    evaluated.increment();
    return kind == null ? SAME : new Change(kind, before.describe(), after.describe(), query.name());
  }

  private void count(Change change, String client) {
    replayed.increment();
    if (change != SAME) {
      changed.increment();
      tallies.get(change.kind()).add(change.name(), change.before(), change.after(), client);
    }
  }

  public long replayed() {
    return replayed.sum();
  }

  public long changed() {
    return changed.sum();
  }

  /** Queries run through both rule sets; the rest were identical to one already run. */
  public long evaluated() {
    return evaluated.sum();
  }

  public Tally tally(ChangeKind kind) {
    return tallies.get(kind);
  }

  /** Changed queries as a share of those replayed, 0 to 1. */
  public double changedShare() {
    long all = replayed();
    return all == 0 ? 0 : (double) changed() / all;
  }
}
