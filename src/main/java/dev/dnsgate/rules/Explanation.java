package dev.dnsgate.rules;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What the rules would do with a query, computed without forwarding anything: used by the explain
 * endpoint and by the rule test cases in rules/tests.
 *
 * @param action the deciding rule's kind (its {@code action:} word), or "forward" when no rule decided
 * @param rule the deciding rule's name, or null
 * @param group the upstream group for a forward, or null for an answer
 * @param rcode the answer's rcode name, or null for a forward
 * @param answers the answer section as zone-file text lines (empty for a forward)
 * @param ede the Extended DNS Error code attached, or -1
 * @param policy the policy-zone record that decided or passed the query, or null
 * @param note what is sent when it is not an answer with records: a drop, a truncation; or null
 */
public record Explanation(
    String name,
    String type,
    String client,
    String clientName,
    String resolvedName,
    String resolvedType,
    List<Verdict.Step> checked,
    String action,
    String rule,
    String group,
    String rcode,
    List<String> answers,
    List<String> authority,
    int ede,
    String policy,
    String note) {

  public static Explanation of(RuleSet rules, Name name, int type, InetAddress client) {
    return of(rules, name, type, client, null);
  }

  /** As a query from a DoT/DoH client that named itself {@code clientName} (null: no name). */
  public static Explanation of(RuleSet rules, Name name, int type, InetAddress client, String clientName) {
    RuleQuery query = new RuleQuery(name, type, DClass.IN, client, null, clientName);
    List<Verdict.Step> trace = new ArrayList<>();
    Verdict verdict = rules.evaluate(query, trace);
    String clientText = client == null ? null : client.getHostAddress();
    String action = verdict.rule() == null ? "forward" : verdict.rule().kind();
    String ruleName = verdict.rule() == null ? null : verdict.rule().name();
    Outcome outcome = verdict.outcome();
    String policy = outcome.policy() != null ? outcome.policy().describe()
        : verdict.passed() != null ? verdict.passed().describe() : null;
    String resolved = query.name().toString();
    String resolvedType = Type.string(query.type());
    if (outcome instanceof Outcome.Answer answer) {
      Message message = query.revert(answer.message());
      return new Explanation(name.toString(), Type.string(type), clientText, clientName, resolved, resolvedType, trace, action,
          ruleName, null, Rcode.string(message.getRcode()), lines(message, Section.ANSWER),
          lines(message, Section.AUTHORITY), edeCode(answer.ede()), policy, null);
    }
    if (outcome instanceof Outcome.Drop) {
      return new Explanation(name.toString(), Type.string(type), clientText, clientName, resolved, resolvedType, trace, action,
          ruleName, null, null, List.of(), List.of(), -1, policy, "dropped: no answer is sent");
    }
    if (outcome instanceof Outcome.Truncate) {
      return new Explanation(name.toString(), Type.string(type), clientText, clientName, resolved, resolvedType, trace, action,
          ruleName, null, Rcode.string(Rcode.NOERROR), List.of(), List.of(), -1, policy,
          "over UDP an empty answer with TC=1, so the client asks again over TCP; over TCP resolved as usual");
    }
    String group = ((Outcome.Forward) outcome).group();
    return new Explanation(name.toString(), Type.string(type), clientText, clientName, resolved, resolvedType, trace, action,
        ruleName, group, null, List.of(), List.of(), -1, policy, null);
  }

  private static List<String> lines(Message message, int section) {
    return message.getSection(section).stream().map(Record::toString).toList();
  }

  private static int edeCode(EDNSOption ede) {
    return ede instanceof ExtendedErrorCodeOption e ? e.getErrorCode() : -1;
  }
}
