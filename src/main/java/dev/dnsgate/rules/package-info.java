/**
 * The rule chain: rule files, phases, the loader with file:line errors, atomic hot reload
 * ({@link dev.dnsgate.rules.LiveRules}) and explanations. {@link dev.dnsgate.rules.RuleSet#evaluate} is pure:
 * the query path counts rule hits, explanations and replays do not. One sub-package per rule kind; matchers
 * in {@code match}.
 */
package dev.dnsgate.rules;
