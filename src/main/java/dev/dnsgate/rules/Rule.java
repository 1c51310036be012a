package dev.dnsgate.rules;

import dev.dnsgate.rules.match.Matcher;
import io.micrometer.core.instrument.Counter;

/**
 * One rule: a matcher that decides and an action that acts.
 *
 * @param kind the rule kind, as the rule file names it with {@code action:} (block, local, ...)
 * @param source "file:line" where the rule is defined, for explanations and errors
 * @param hits the queries this rule decided or changed (dnsgate_rule_hits_total); counted by the
 *     query path through {@link Verdict#countHits()}, never by an explanation or a replay
 */
public record Rule(
    String name, String kind, Phase phase, Matcher matcher, RuleAction action, String source, Counter hits) {}
