package dev.dnsgate.rules;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;

/** What a rule's action decided for a query it matched. */
public sealed interface Outcome {

  /**
   * The rule changed the query (rewrite) or lets it pass (allow); later phases continue.
   *
   * @param policy the policy record that changed it (an RPZ CNAME to another name), or null
   */
  record Continue(PolicyMatch policy) implements Outcome {}

  /**
   * The rule answers now; nothing is forwarded.
   *
   * @param message an answer to the query as the rule saw it (rewritten name), without ID or OPT
   * @param ede an Extended DNS Error to attach (e.g. 15 Blocked), or null
   * @param blocked true when the answer refuses the name (a block list, a policy), false when it is
   *     data the operator serves (a local zone): counted apart, and not kept as templates
   * @param policy the policy-zone record that decided, or null for other rules
   */
  record Answer(Message message, EDNSOption ede, boolean blocked, PolicyMatch policy) implements Outcome {

    public Answer(Message message, EDNSOption ede, boolean blocked) {
      this(message, ede, blocked, null);
    }
  }

  /** Forward to the named upstream group. */
  record Forward(String group) implements Outcome {}

  /** A policy says: no answer at all (RPZ rpz-drop); the client times out. */
  record Drop(PolicyMatch policy) implements Outcome {}

  /**
   * A policy sends the client to TCP (RPZ rpz-tcp-only): an empty answer with TC=1 over UDP. The
   * policy itself passes TCP queries on, so this outcome only ever stands for a UDP query.
   */
  record Truncate(PolicyMatch policy) implements Outcome {}

  /**
   * A policy exempts the query from every later block rule (RPZ rpz-passthru), like an allow rule
   * does from the whole block phase; local answers and forwarding go on as usual.
   */
  record Pass(PolicyMatch policy) implements Outcome {}

  Outcome CONTINUE = new Continue(null);

  /** Whether this outcome ends the rule chain (nothing later is asked). */
  default boolean ends() {
    return this instanceof Answer || this instanceof Forward || this instanceof Drop || this instanceof Truncate;
  }

  /** The policy-zone record behind this outcome, or null when it is not a policy's. */
  default PolicyMatch policy() {
    return null;
  }
}
