package dev.dnsgate.rules;

import java.util.Set;

/**
 * A kind of rule, named by the {@code action:} key of a rule file entry. Each kind is a CDI bean:
 * adding one is one new class, and listeners, cache and upstreams do not change.
 */
public interface RuleKind {

  /** The value of {@code action:} in a rule file that selects this kind, e.g. "block". */
  String name();

  Phase phase();

  /** Builds the action from the rule's own keys; reports problems through {@link RuleSpec#error}. */
  RuleAction build(RuleSpec spec);

  /** Keys of a rule entry this kind reads, besides name, action, match and comment. */
  Set<String> keys();

  /**
   * Told after every load of the rule folder, whether its rules replaced the live ones or were
   * thrown away (a bad edit): a kind that keeps long-lived sources (zone transfers) between loads
   * stops those that no live rule uses any more.
   */
  default void loadFinished(boolean applied) {}
}
