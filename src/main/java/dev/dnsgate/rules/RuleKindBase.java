package dev.dnsgate.rules;

import java.util.Set;

/** The fixed facts of a rule kind (its action word, its phase, its own keys) held in one place. */
public abstract class RuleKindBase implements RuleKind {

  private final String action;
  private final Phase phase;
  private final Set<String> keys;

  protected RuleKindBase(String action, Phase phase, Set<String> keys) {
    this.action = action;
    this.phase = phase;
    this.keys = keys;
  }

  @Override
  public String action() {
    return action;
  }

  @Override
  public Phase phase() {
    return phase;
  }

  @Override
  public Set<String> keys() {
    return keys;
  }
}
