package dev.dnsgate.whatif;

import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a rule set does with one query, reduced to what a client would notice: forwarded (to which
 * group, under which name), or answered here, blocked or local (with which response). The deciding
 * rule is kept for the report but is not part of the comparison: another rule giving the same answer
 * is no change.
 *
 * @param route "forward", "block" or "local"
 * @param rule the deciding rule, or null
 * @param rewrittenBy the rule that rewrote the query, or null
 * @param effect what the client would notice: group and resolved name, or rcode, records and EDE
 */
record Decision(String route, String rule, String rewrittenBy, String effect) {

  /** Runs the query through {@code rules}: pure, no counter moves, nothing forwarded. */
  static Decision of(RuleSet rules, RecordedQuery recorded) {
    RuleQuery query = new RuleQuery(recorded.name(), recorded.type(), DClass.IN, recorded.client());
    Verdict verdict = rules.evaluate(query, null);
    String rule = verdict.rule() == null ? null : verdict.rule().name();
    String rewrittenBy = verdict.rewrittenBy() == null ? null : verdict.rewrittenBy().name();
    if (verdict.outcome() instanceof Outcome.Answer answer) {
      Message message = query.revert(answer.message());
      StringBuilder effect = new StringBuilder(Rcode.string(message.getRcode()));
      List<String> data = new ArrayList<>();
      for (Record r : message.getSection(Section.ANSWER)) {
        data.add(Type.string(r.getType()) + " " + r.rdataToString());
      }
      data.sort(null);
      data.forEach(d -> effect.append(' ').append(d));
      if (answer.ede() instanceof ExtendedErrorCodeOption ede) {
        effect.append(" EDE ").append(ede.getErrorCode());
      }
      return new Decision(answer.blocked() ? "block" : "local", rule, rewrittenBy, effect.toString());
    }
    if (verdict.outcome() instanceof Outcome.Drop) {
      return new Decision("block", rule, rewrittenBy, "no answer (policy drop)");
    }
    if (verdict.outcome() instanceof Outcome.Truncate) {
      return new Decision("block", rule, rewrittenBy, "TC over UDP (policy tcp-only)");
    }
    String group = ((Outcome.Forward) verdict.outcome()).group();
    String effect = group;
    if (query.rewritten()) {
      effect += " as " + query.name() + " " + Type.string(query.type());
    }
    return new Decision("forward", rule, rewrittenBy, effect);
  }

  /** How the answer changes from this decision to {@code after}, or null when a client would see no change. */
  ChangeKind changeTo(Decision after) {
    boolean wasBlocked = route.equals("block");
    boolean isBlocked = after.route.equals("block");
    if (wasBlocked != isBlocked) {
      return isBlocked ? ChangeKind.NEWLY_BLOCKED : ChangeKind.UNBLOCKED;
    }
    if (wasBlocked) {
      return effect.equals(after.effect) ? null : ChangeKind.BLOCK_RESPONSE;
    }
    if (!route.equals(after.route)) {
      return after.route.equals("local") ? ChangeKind.NOW_LOCAL : ChangeKind.NO_LONGER_LOCAL;
    }
    if (route.equals("local")) {
      return effect.equals(after.effect) ? null : ChangeKind.LOCAL_CHANGED;
    }
    if (effect.equals(after.effect)) {
      return null;
    }
    String group = effect.split(" ", 2)[0];
    return group.equals(after.effect.split(" ", 2)[0]) ? ChangeKind.REWRITE_CHANGED : ChangeKind.FORWARD_GROUP;
  }

  /**
   * For people: "block ads: NXDOMAIN EDE 15", "forward to corp (rule lab)", "forward to default as
   * new.test. A (rewrite rename)", "local corp-zone: NOERROR A 10.0.0.1".
   */
  String describe() {
    String rewrite = rewrittenBy == null ? "" : "rewrite " + rewrittenBy;
    if (route.equals("forward")) {
      String by = rule == null ? rewrite : rewrite.isEmpty() ? "rule " + rule : rewrite + ", rule " + rule;
      return "forward to " + effect + (by.isEmpty() ? "" : " (" + by + ")");
    }
    return route + " " + rule + ": " + effect + (rewrite.isEmpty() ? "" : " (" + rewrite + ")");
  }
}
