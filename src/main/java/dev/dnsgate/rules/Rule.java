package dev.dnsgate.rules;

import dev.dnsgate.rules.match.Matcher;
import io.micrometer.core.instrument.Counter;

/**
 * One rule: a matcher that decides and an action that acts.
 *
 * @param source "file:line" where the rule is defined, for explanations and errors
 * @param hits counts the queries this rule decided or changed (dnsgate_rule_hits_total)
 */
public record Rule(
    String name, String action, Phase phase, Matcher matcher, RuleAction body, String source, Counter hits) {}
