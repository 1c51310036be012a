package dev.dnsgate.rules.rpz;

import dev.dnsgate.rules.Answers;
import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.PolicyMatch;
import dev.dnsgate.rules.ResponsePolicy;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.match.LabelHash;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One {@code action: rpz} rule: the policies of one zone applied to queries. Within the zone the
 * draft's precedence holds: client-IP triggers first, then the query name (an exact name before
 * any wildcard, a longer wildcard before a shorter one), and the answer's addresses last, once the
 * upstream has answered (see {@link ResponsePolicy}); among IP triggers the longest prefix wins.
 */
final class PolicyZone implements RuleAction, ResponsePolicy {

  private final String zone;
  private final RpzFeed feed;
  private final EDNSOption ede;
  private final Map<TriggerKind, Map<PolicyAction, Counter>> hits = new EnumMap<>(TriggerKind.class);
  private final Map<TriggerKind, Map<PolicyAction, String>> details = new EnumMap<>(TriggerKind.class);

  /** @param rule the rule's name, for the query log's detail */
  PolicyZone(String rule, Name origin, RpzFeed feed, EDNSOption ede, MeterRegistry registry) {
    this.zone = origin.toString(true);
    this.feed = feed;
    this.ede = ede;
    for (TriggerKind kind : TriggerKind.values()) {
      Map<PolicyAction, Counter> byAction = new EnumMap<>(PolicyAction.class);
      Map<PolicyAction, String> detailByAction = new EnumMap<>(PolicyAction.class);
      for (PolicyAction action : PolicyAction.values()) {
        detailByAction.put(action,
            rule + " (rpz) zone " + zone + ", " + kind.label() + " trigger, " + action.label());
        byAction.put(action, Counter.builder("dnsgate.rpz.hits")
            .description("Queries a policy zone decided, by trigger and action")
            .tag("zone", zone).tag("trigger", kind.label()).tag("action", action.label())
            .register(registry));
      }
      hits.put(kind, byAction);
      details.put(kind, detailByAction);
    }
  }

  @Override
  public Outcome apply(RuleQuery query) {
    Triggers triggers = feed.triggers();
    if (query.client() != null && triggers.hasIpTriggers(TriggerKind.CLIENT_IP)) {
      Outcome byClient = ipMatch(triggers, TriggerKind.CLIENT_IP, List.of(query.client()), query);
      if (byClient != null) {
        return byClient;
      }
    }
    long[] suffixes = LabelHash.suffixes(query.name());
    if (suffixes.length == 0) {
      return null;
    }
    long exact = Triggers.key(TriggerKind.QNAME, suffixes[0]);
    PolicyAction action = triggers.action(exact);
    if (action != null) {
      Name name = query.name();
      return outcome(triggers, TriggerKind.QNAME, exact, action, name::toString, query);
    }
    for (int i = 1; i < suffixes.length; i++) {
      long wildcard = Triggers.key(TriggerKind.WILDCARD, suffixes[i]);
      action = triggers.action(wildcard);
      if (action != null) {
        Name parent = new Name(query.name(), i);
        return outcome(triggers, TriggerKind.WILDCARD, wildcard, action, () -> "*." + parent, query);
      }
    }
    return null;
  }

  @Override
  public Outcome review(RuleQuery query, Message answer) {
    Triggers triggers = feed.triggers();
    if (!triggers.hasIpTriggers(TriggerKind.RESPONSE_IP)) {
      return null;
    }
    List<InetAddress> addresses = answer.getSection(Section.ANSWER).stream()
        .map(r -> r instanceof ARecord a ? a.getAddress() : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null)
        .filter(a -> a != null)
        .toList();
    return addresses.isEmpty() ? null : ipMatch(triggers, TriggerKind.RESPONSE_IP, addresses, query);
  }

  /** The trigger with the longest prefix that covers any of {@code addresses}, as an outcome. */
  private Outcome ipMatch(Triggers triggers, TriggerKind kind, List<InetAddress> addresses, RuleQuery query) {
    int bestPrefix = 0;
    long bestKey = 0;
    PolicyAction bestAction = null;
    InetAddress bestAddress = null;
    for (InetAddress address : addresses) {
      byte[] bytes = address.getAddress();
      for (int prefix : triggers.prefixLengths(kind, bytes.length == 16)) {
        if (prefix <= bestPrefix) {
          break;
        }
        long key = Triggers.key(kind, IpKeys.of(bytes, prefix));
        PolicyAction action = triggers.action(key);
        if (action != null) {
          bestPrefix = prefix;
          bestKey = key;
          bestAction = action;
          bestAddress = address;
          break;
        }
      }
    }
    if (bestAction == null) {
      return null;
    }
    String owner = ipOwner(bestAddress, bestPrefix) + "." + (kind == TriggerKind.CLIENT_IP ? "rpz-client-ip" : "rpz-ip");
    return outcome(triggers, kind, bestKey, bestAction, () -> owner + ".", query);
  }

  /** The draft's owner form of a network: prefix length, then the address's parts in reverse. */
  private static String ipOwner(InetAddress address, int prefix) {
    byte[] bytes = address.getAddress();
    StringBuilder owner = new StringBuilder().append(prefix);
    if (bytes.length == 4) {
      for (int i = 3; i >= 0; i--) {
        owner.append('.').append(bytes[i] & 0xff);
      }
    } else {
      for (int i = 14; i >= 0; i -= 2) {
        owner.append('.').append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
      }
    }
    return owner.toString();
  }

  /**
   * The outcome of a policy: an answer, a drop, a truncation or a pass.
   *
   * @param owner makes the trigger's owner name relative to the zone, with a trailing dot (explain only)
   */
  private Outcome outcome(Triggers triggers, TriggerKind kind, long key, PolicyAction action, Supplier<String> owner,
      RuleQuery query) {
    List<Record> local = action == PolicyAction.LOCAL_DATA ? triggers.localData(key) : List.of();
    PolicyAction counted = action == PolicyAction.TCP_ONLY && query.transport() == Transport.TCP
        ? PolicyAction.PASSTHRU : action;
    PolicyMatch match = new PolicyMatch(zone, kind.label(), details.get(kind).get(counted), hits.get(kind).get(counted),
        () -> owner.get() + zone + ". " + rdata(action, local));
    switch (action) {
      case NXDOMAIN:
        return new Outcome.Answer(Answers.empty(query, Rcode.NXDOMAIN), ede, true, match);
      case NODATA:
        return new Outcome.Answer(Answers.empty(query, Rcode.NOERROR), ede, true, match);
      case PASSTHRU:
        return new Outcome.Pass(match);
      case DROP:
        return new Outcome.Drop(match);
      case TCP_ONLY:
        return query.transport() == Transport.TCP ? new Outcome.Pass(match) : new Outcome.Truncate(match);
      default:
        CNAMERecord alias = aliasToFollow(query, local);
        if (alias != null) {
          follow(query, (CNAMERecord) alias.withName(query.name()));
          return new Outcome.Continue(match);
        }
        return new Outcome.Answer(localAnswer(query, local), ede, true, match);
    }
  }

  /**
   * The CNAME of local data that the query must follow: the policy holds no records of the asked
   * type, only a CNAME to another name. Following it (as Unbound does) resolves the target and
   * answers the CNAME and the target's records, with the target's answer still judged by
   * response-IP policies; a stub resolver given the CNAME alone would not follow it.
   */
  private static CNAMERecord aliasToFollow(RuleQuery query, List<Record> local) {
    if (query.type() == Type.CNAME || query.type() == Type.ANY) {
      return null;
    }
    CNAMERecord cname = null;
    for (Record r : local) {
      if (r.getType() == query.type()) {
        return null;
      }
      if (r instanceof CNAMERecord c) {
        cname = c;
      }
    }
    return cname;
  }

  /** Rewrites the query to the CNAME's target; the answer gets the CNAME put in front of it. */
  private static void follow(RuleQuery query, CNAMERecord alias) {
    query.rewrite(alias.getTarget(), query.type(), answer -> {
      List<Record> records = answer.getSection(Section.ANSWER);
      answer.removeAllRecords(Section.ANSWER);
      answer.addRecord(alias, Section.ANSWER);
      records.forEach(r -> answer.addRecord(r, Section.ANSWER));
      return answer;
    });
  }

  private static String rdata(PolicyAction action, List<Record> local) {
    return action != PolicyAction.LOCAL_DATA ? action.rdataText()
        : local.stream().map(r -> Type.string(r.getType()) + " " + r.rdataToString()).collect(Collectors.joining(", "));
  }

  /**
   * The local data of a policy as an answer to the query: the records of the asked type (owner
   * replaced by the query name, as for a wildcard), or NODATA when the policy holds none.
   */
  private static Message localAnswer(RuleQuery query, List<Record> local) {
    Message answer = Answers.empty(query, Rcode.NOERROR);
    boolean any = query.type() == Type.ANY;
    for (Record r : local) {
      if (any || r.getType() == query.type()) {
        answer.addRecord(r.withName(query.name()), Section.ANSWER);
      }
    }
    return answer;
  }
}
