package dev.dnsgate.rules.match;

import dev.dnsgate.rules.RuleQuery;

/** The selector half of a rule: decides whether the rule applies to a query. */
@FunctionalInterface
public interface Matcher {

  boolean matches(RuleQuery query);
}
