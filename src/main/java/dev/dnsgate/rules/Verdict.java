package dev.dnsgate.rules;

import java.util.List;

/**
 * What the rule chain decided for one query.
 *
 * @param outcome an {@link Outcome.Answer} or {@link Outcome.Forward}
 * @param rule the rule that decided, or null when no rule did (default upstream group)
 * @param trace every rule checked, in order; empty unless asked for (explain)
 */
public record Verdict(Outcome outcome, Rule rule, List<Step> trace) {

  /** The group used when no forward rule picks one. */
  public static final String DEFAULT_GROUP = "default";

  /** One rule checked: did its matcher match, and what did its action do. */
  public record Step(String rule, String action, String source, boolean matched, String result) {}
}
