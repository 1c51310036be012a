package dev.dnsgate.rules;

import java.util.Set;

/** The fixed facts of a rule kind (the word that names it, its phase, its own keys) held in one place. */
public abstract class RuleKindBase implements RuleKind {

  private final String name;
  private final Phase phase;
  private final Set<String> keys;

  protected RuleKindBase(String name, Phase phase, Set<String> keys) {
    this.name = name;
    this.phase = phase;
    this.keys = keys;
  }

  @Override
  public String name() {
    return name;
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
