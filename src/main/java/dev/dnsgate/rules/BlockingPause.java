package dev.dnsgate.rules;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Block rules switched off for a while ("pause blocking for 5 minutes"): all of them, or some by name.
 *
 * <p>Kept outside the {@link RuleSet} and keyed by rule name, so a reload neither ends a pause nor
 * makes it last forever. No timer resumes blocking: each check compares the end time with the clock,
 * so there is nothing that a reload, a restart of a thread or a lost event could leave running.
 */
@Singleton
public class BlockingPause {

  /** The key that pauses every block rule. */
  public static final String ALL = "*";

  /** Never paused by anyone: for rule sets evaluated outside the live service. */
  public static final BlockingPause NONE = new BlockingPause(InstantSource.system());

  /**
   * One pause.
   *
   * @param rule a rule name, or {@link #ALL}
   * @param until when blocking resumes by itself, or null for "until resumed"
   */
  public record Entry(String rule, Instant until) {}

  private final InstantSource clock;
  /** Copied on write: read on matched block rules of the query path, written by operators. */
  private volatile Map<String, Instant> paused = Map.of();

  public BlockingPause() {
    this(InstantSource.system());
  }

  public BlockingPause(InstantSource clock) {
    this.clock = clock;
  }

  /**
   * Pauses the named block rules, or all of them when {@code rules} is empty.
   *
   * @param duration how long, or null for "until resumed"
   */
  public synchronized void pause(Collection<String> rules, Duration duration) {
    Instant until = duration == null ? Instant.MAX : clock.instant().plus(duration);
    Map<String, Instant> next = active();
    for (String rule : rules.isEmpty() ? List.of(ALL) : rules) {
      next.put(rule, until);
    }
    paused = Map.copyOf(next);
  }

  /** Resumes the named rules (or "*"), or everything when {@code rules} is empty. */
  public synchronized void resume(Collection<String> rules) {
    Map<String, Instant> next = active();
    if (rules.isEmpty()) {
      next.clear();
    } else {
      next.keySet().removeAll(rules);
    }
    paused = Map.copyOf(next);
  }

  /** True while this block rule is paused, by name or by a pause of all. */
  public boolean isPaused(Rule rule) {
    Map<String, Instant> now = paused;
    if (now.isEmpty()) {
      return false;
    }
    Instant at = clock.instant();
    return running(now.get(ALL), at) || running(now.get(rule.name()), at);
  }

  /** The pauses still running, all-rules first, then by rule name; ended ones are forgotten here. */
  public synchronized List<Entry> status() {
    Map<String, Instant> running = active();
    paused = Map.copyOf(running); // so that the query path stops looking at the clock
    List<Entry> entries = new ArrayList<>();
    running.forEach((rule, until) -> entries.add(new Entry(rule, until.equals(Instant.MAX) ? null : until)));
    entries.sort((a, b) -> a.rule().equals(ALL) ? -1 : b.rule().equals(ALL) ? 1 : a.rule().compareTo(b.rule()));
    return entries;
  }

  private Map<String, Instant> active() {
    Instant at = clock.instant();
    Map<String, Instant> running = new HashMap<>();
    paused.forEach((rule, until) -> {
      if (running(until, at)) {
        running.put(rule, until);
      }
    });
    return running;
  }

  private static boolean running(Instant until, Instant at) {
    return until != null && until.isAfter(at);
  }
}
