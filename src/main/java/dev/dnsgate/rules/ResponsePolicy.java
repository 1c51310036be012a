package dev.dnsgate.rules;

import org.xbill.DNS.Message;

/**
 * A rule action that also judges forwarded answers (RPZ response-IP triggers: the upstream's answer
 * holds a listed address). The query path asks these, in rule order, about every answer that came
 * from an upstream or the cache for a query that no rule answered, allowed or passed.
 */
public interface ResponsePolicy {

  /**
   * What to do instead of sending {@code answer}, or null to send it as it is.
   *
   * @param query the query as the rules left it (rewritten name, if any)
   * @param answer the upstream's answer (a copy the policy may read, never changes)
   */
  Outcome review(RuleQuery query, Message answer);
}
