package dev.dnsgate.rules;

/**
 * The action half of a rule. Called only when the rule's matcher matched; an action may still
 * decline (return null), as a local zone does for names outside it.
 */
@FunctionalInterface
public interface RuleAction {

  /** The outcome for this query, or null when the action does not apply to it after all. */
  Outcome apply(RuleQuery query);
}
