package dev.dnsgate.rules.rpz;

import dev.dnsgate.rules.match.LabelHash;
import dev.dnsgate.wire.IpLiteral;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One record of a policy zone read as a policy: which trigger (kind and key) and which action.
 *
 * @param key the trigger's key in the zone's table (see {@link Triggers#key})
 * @param prefix for IP triggers the prefix length, and {@code v6} its family; otherwise 0
 */
record PolicyRecord(TriggerKind kind, long key, int prefix, boolean v6, PolicyAction action, Record record) {

  /** What a record of a policy zone is, when it is not a policy. */
  enum Other {
    /** The zone's own SOA and NS records, and anything outside the zone. */
    APEX,
    /** NSDNAME or NSIP triggers (meaningless to a forwarder), or an IP trigger that does not parse. */
    SKIPPED
  }

  private static final String RPZ_IP = "rpz-ip";
  private static final String RPZ_CLIENT_IP = "rpz-client-ip";
  private static final String NSDNAME = "rpz-nsdname";
  private static final String NSIP = "rpz-nsip";

  /** The policy {@code r} states in the zone {@code origin}, or an {@link Other}. */
  static Object read(Record r, Name origin) {
    Name owner = r.getName();
    if (!owner.subdomain(origin) || owner.equals(origin)) {
      return Other.APEX;
    }
    int originLabels = origin.labels() - 1;
    int relative = owner.labels() - 1 - originLabels;
    String lastRelative = owner.getLabelString(relative - 1).toLowerCase();
    if (lastRelative.equals(NSDNAME) || lastRelative.equals(NSIP)) {
      return Other.SKIPPED;
    }
    PolicyAction action = r.getType() == Type.CNAME
        ? actionOf((CNAMERecord) r, owner, originLabels) : PolicyAction.LOCAL_DATA;
    if (lastRelative.equals(RPZ_IP) || lastRelative.equals(RPZ_CLIENT_IP)) {
      TriggerKind kind = lastRelative.equals(RPZ_IP) ? TriggerKind.RESPONSE_IP : TriggerKind.CLIENT_IP;
      return ipTrigger(kind, owner, relative - 1, action, r);
    }
    boolean wildcard = owner.isWild();
    long hash = LabelHash.withoutLast(wildcard ? new Name(owner, 1) : owner, originLabels);
    TriggerKind kind = wildcard ? TriggerKind.WILDCARD : TriggerKind.QNAME;
    return new PolicyRecord(kind, Triggers.key(kind, hash), 0, false, action, r);
  }

  private static PolicyAction actionOf(CNAMERecord cname, Name owner, int originLabels) {
    PolicyAction action = PolicyAction.ofCnameTarget(cname.getTarget());
    if (action == PolicyAction.LOCAL_DATA && !owner.isWild()
        && LabelHash.withoutLast(owner, originLabels) == LabelHash.withoutLast(cname.getTarget(), 0)) {
      return PolicyAction.PASSTHRU; // the draft's older spelling: a CNAME to the name itself
    }
    return action;
  }

  /** "24.0.2.0.192.rpz-ip" is 192.0.2.0/24; "64.zz.db8.2001.rpz-client-ip" is 2001:db8::/64. */
  private static Object ipTrigger(TriggerKind kind, Name owner, int count, PolicyAction action, Record r) {
    int prefix;
    try {
      prefix = Integer.parseInt(owner.getLabelString(0));
    } catch (NumberFormatException e) {
      return Other.SKIPPED;
    }
    String[] labels = new String[count - 1];
    for (int i = 1; i < count; i++) {
      labels[count - 1 - i] = owner.getLabelString(i).toLowerCase();
    }
    String text = labels.length == 4 && !List.of(labels).contains("zz")
        ? String.join(".", labels) : v6Text(String.join(":", labels));
    InetAddress address = IpLiteral.parse(text).orElse(null);
    if (address == null || (labels.length == 4) != (address.getAddress().length == 4)
        || prefix < 1 || prefix > address.getAddress().length * 8) {
      return Other.SKIPPED;
    }
    return new PolicyRecord(kind, Triggers.key(kind, IpKeys.of(address, prefix)), prefix,
        address.getAddress().length == 16, action, r);
  }

  /** "2001:db8:zz:1" to "2001:db8::1": zz stands for the longest run of zero groups. */
  private static String v6Text(String joined) {
    if (joined.equals("zz")) {
      return "::";
    }
    if (joined.startsWith("zz:")) {
      return "::" + joined.substring(3);
    }
    if (joined.endsWith(":zz")) {
      return joined.substring(0, joined.length() - 3) + "::";
    }
    return joined.replace(":zz:", "::");
  }
}
