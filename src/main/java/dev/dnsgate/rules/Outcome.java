package dev.dnsgate.rules;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;

/** What a rule's action decided for a query it matched. */
public sealed interface Outcome {

  /** The rule changed the query (rewrite) or lets it pass (allow); later phases continue. */
  record Continue() implements Outcome {}

  /**
   * The rule answers now; nothing is forwarded.
   *
   * @param message an answer to the query as the rule saw it (rewritten name), without ID or OPT
   * @param ede an Extended DNS Error to attach (e.g. 15 Blocked), or null
   * @param blocked true when the answer refuses the name (a block list, a policy), false when it is
   *     data the operator serves (a local zone): counted apart, and not kept as templates
   */
  record Answer(Message message, EDNSOption ede, boolean blocked) implements Outcome {}

  /** Forward to the named upstream group. */
  record Forward(String group) implements Outcome {}

  Outcome CONTINUE = new Continue();
}
