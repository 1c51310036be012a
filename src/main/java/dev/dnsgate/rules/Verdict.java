package dev.dnsgate.rules;

import java.util.List;

/**
 * What the rule chain decided for one query, and which rules took part.
 *
 * @param outcome an outcome that {@link Outcome#ends() ends} the chain
 * @param rule the rule that decided, or null when no rule did (default upstream group)
 * @param rewrittenBy the rule that rewrote the query (a rewrite, or a policy CNAME to another name), or null
 * @param allowedBy the allow rule that skipped the block phase (or the policy rule that passed), or null
 * @param passed the policy record that passed the query (RPZ rpz-passthru) or sent it on to another
 *     name (an RPZ CNAME), or null
 * @param trace every rule checked, in order; empty unless asked for (explain)
 */
public record Verdict(
    Outcome outcome, Rule rule, Rule rewrittenBy, Rule allowedBy, PolicyMatch passed, List<Step> trace) {

  /** One rule checked: did its matcher match, and what did its action do. */
  public record Step(String rule, String kind, String source, boolean matched, String result) {}

  /**
   * Counts a hit for every rule that decided or changed this query. Called by the query path for the
   * queries it answers, so that explanations, rule tests and replays leave the live counters alone.
   */
  public void countHits() {
    count(rewrittenBy);
    count(allowedBy);
    count(rule);
    count(passed);
    count(outcome.policy());
  }

  private static void count(PolicyMatch policy) {
    if (policy != null) {
      policy.hits().increment();
    }
  }

  private static void count(Rule r) {
    if (r != null) {
      r.hits().increment();
    }
  }
}
