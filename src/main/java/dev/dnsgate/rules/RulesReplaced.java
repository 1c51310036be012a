package dev.dnsgate.rules;

/**
 * A CDI event: a reload replaced the serving rules (not fired for the first load). Observers run on
 * the rules' watcher thread after the swap; queries already use {@code current}.
 */
public record RulesReplaced(RuleSet previous, RuleSet current) {}
