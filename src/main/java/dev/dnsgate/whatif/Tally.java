package dev.dnsgate.whatif;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.xbill.DNS.Name;

/**
 * The queries of one kind of change, by name. At most {@link #NAMES} names are itemised, so memory
 * stays bounded whatever the log holds; queries for names beyond them are counted only. Safe for the
 * replay's threads, and the same whatever order the queries come in: a name shows the smallest of
 * its descriptions and of its clients.
 */
public final class Tally {

  static final int NAMES = 50_000;
  static final int CLIENTS_PER_NAME = 3;

  /** One changed name: how many queries, what they got before and after, a few clients that asked. */
  public static final class NameCount {
    private final Name name;
    private String before;
    private String after;
    private final TreeSet<String> clients = new TreeSet<>();
    private long queries;

    NameCount(Name name, String before, String after) {
      this.name = name;
      this.before = before;
      this.after = after;
    }

    public Name name() {
      return name;
    }

    public long queries() {
      return queries;
    }

    public String before() {
      return before;
    }

    public String after() {
      return after;
    }

    public List<String> clients() {
      return List.copyOf(clients);
    }
  }

  private final Map<Name, NameCount> names = new HashMap<>();
  private long queries;
  private long unitemised;

  synchronized void add(Name name, String before, String after, String client) {
    queries++;
    NameCount count = names.get(name);
    if (count == null) {
      if (names.size() >= NAMES) {
        unitemised++;
        return;
      }
      count = new NameCount(name, before, after);
      names.put(name, count);
    } else if ((before + after).compareTo(count.before + count.after) < 0) {
      count.before = before; // one name, several changes (other types, other clients' views)
      count.after = after;
    }
    count.queries++;
    if (client != null && !count.clients.contains(client)) {
      count.clients.add(client);
      if (count.clients.size() > CLIENTS_PER_NAME) {
        count.clients.pollLast();
      }
    }
  }

  public synchronized long queries() {
    return queries;
  }

  /** Distinct names itemised. */
  public synchronized int names() {
    return names.size();
  }

  /** Queries for names past the itemised ones (counted in {@link #queries()}, in no top list). */
  public synchronized long unitemised() {
    return unitemised;
  }

  /** The names with the most queries, most first (ties by name). */
  public synchronized List<NameCount> top(int n) {
    List<NameCount> all = new ArrayList<>(names.values());
    all.sort(Comparator.comparingLong(NameCount::queries).reversed().thenComparing(NameCount::name));
    return all.subList(0, Math.min(n, all.size()));
  }
}
