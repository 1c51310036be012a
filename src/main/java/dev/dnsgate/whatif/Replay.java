package dev.dnsgate.whatif;

import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.match.Criteria;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * Runs recorded queries through two rule sets and tallies the ones a client would see answered
 * differently. Identical queries (name, type, and client when any rule looks at clients) are
 * evaluated once: the comparison is remembered for up to {@link #REMEMBERED} distinct queries,
 * beyond which new ones are evaluated each time they come, so memory stays bounded.
 */
public final class Replay {

  static final int REMEMBERED = 250_000;

  private record Key(Name name, int type, InetAddress client) {}

  private record Change(ChangeKind kind, String before, String after) {}

  private static final Change SAME = new Change(null, null, null);

  private final RuleSet current;
  private final RuleSet candidate;
  private final boolean byClient;
  private final Map<Key, Change> remembered = new HashMap<>();
  private final Map<ChangeKind, Tally> tallies = new EnumMap<>(ChangeKind.class);
  private long replayed;
  private long changed;
  private long evaluated;

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
    replayed++;
    Key key = new Key(query.name(), query.type(), byClient ? query.client() : null);
    Change change = remembered.get(key);
    if (change == null) {
      change = compare(query);
      evaluated++;
      if (remembered.size() < REMEMBERED) {
        remembered.put(key, change);
      }
    }
    if (change != SAME) {
      changed++;
      String client = query.client() == null ? null : query.client().getHostAddress();
      tallies.get(change.kind()).add(query.name(), change.before(), change.after(), client);
    }
  }

  private Change compare(RecordedQuery query) {
    Decision before = Decision.of(current, query);
    Decision after = Decision.of(candidate, query);
    ChangeKind kind = before.changeTo(after);
    return kind == null ? SAME : new Change(kind, before.describe(), after.describe());
  }

  public long replayed() {
    return replayed;
  }

  public long changed() {
    return changed;
  }

  /** Queries run through both rule sets; the rest were identical to one already run. */
  public long evaluated() {
    return evaluated;
  }

  public Tally tally(ChangeKind kind) {
    return tallies.get(kind);
  }

  /** Changed queries as a share of those replayed, 0 to 1. */
  public double changedShare() {
    return replayed == 0 ? 0 : (double) changed / replayed;
  }
}
