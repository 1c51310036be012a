package dev.dnsgate.rules.local;

import dev.dnsgate.rules.Answers;
import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Records answered locally and authoritatively (AA). With a zone apex, everything below the apex is
 * ours: names or types we do not define get NXDOMAIN or NODATA with the SOA (RFC 2308), never a
 * forward. Without one, we answer for exactly the names we hold (as CoreDNS hosts does) and let every
 * other name go on. Wildcard owners ({@code *.apps}) answer for names below them that we lack.
 */
public final class LocalData implements RuleAction {

  /** CNAME chains inside our data are followed this far, as a guard against loops. */
  private static final int MAX_CHAIN = 8;
  private static final Name WILDCARD = Name.fromConstantString("*");

  private final Map<Name, List<Record>> byName = new HashMap<>();
  private final Set<Name> existing = new HashSet<>();
  private final Name apex;
  private final SOARecord soa;

  LocalData(Name apex, SOARecord soa, List<Record> records) {
    this.apex = apex;
    this.soa = soa;
    for (Record r : records) {
      byName.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
      for (Name n = r.getName(); apex != null && n.subdomain(apex) && !n.equals(apex); n = parent(n)) {
        existing.add(n); // empty non-terminals exist too: NODATA, not NXDOMAIN
      }
      existing.add(r.getName());
    }
  }

  private static Name parent(Name name) {
    return new Name(name, 1);
  }

  /** The zone apex, or null when the rule answers for exactly the names it holds. */
  public Name apex() {
    return apex;
  }

  /** Every owner name with records here. */
  public Set<Name> owners() {
    return byName.keySet();
  }

  /** The answer for the query, or null when the name is not ours. */
  @Override
  public Outcome apply(RuleQuery query) {
    Name name = query.name();
    boolean inZone = apex != null && name.subdomain(apex);
    if (!inZone && !byName.containsKey(name)) {
      return null;
    }
    Message answer = Answers.empty(query, Rcode.NOERROR);
    answer.getHeader().setFlag(Flags.AA);
    for (int step = 0; step < MAX_CHAIN; step++) {
      List<Record> records = recordsFor(name);
      if (records == null) {
        if (step == 0) {
          answer.getHeader().setRcode(existing.contains(name) ? Rcode.NOERROR : Rcode.NXDOMAIN);
        }
        addSoa(answer, step);
        return new Outcome.Answer(answer, null, false);
      }
      boolean answered = false;
      CNAMERecord cname = null;
      for (Record r : records) {
        if (r.getType() == query.type() || query.type() == Type.ANY) {
          answer.addRecord(r, Section.ANSWER);
          answered = true;
        } else if (cname == null && r instanceof CNAMERecord alias) {
          cname = alias;
        }
      }
      if (answered) {
        return new Outcome.Answer(answer, null, false);
      }
      if (cname == null) {
        addSoa(answer, step);
        return new Outcome.Answer(answer, null, false);
      }
      answer.addRecord(cname, Section.ANSWER);
      name = cname.getTarget();
      if (!byName.containsKey(name) && (apex == null || !name.subdomain(apex))) {
        return new Outcome.Answer(answer, null, false); // the chain leaves our data; the client follows it
      }
    }
    return new Outcome.Answer(answer, null, false);
  }

  /** Records of a name, synthesised from the closest wildcard when the name itself has none. */
  private List<Record> recordsFor(Name name) {
    List<Record> own = byName.get(name);
    if (own != null || apex == null || existing.contains(name)) {
      return own;
    }
    for (Name ancestor = parent(name); ancestor.subdomain(apex); ancestor = parent(ancestor)) {
      List<Record> wildcard = byName.get(concat(WILDCARD, ancestor));
      if (wildcard != null) {
        return wildcard.stream().map(r -> r.withName(name)).toList();
      }
      if (ancestor.equals(apex)) {
        break;
      }
    }
    return null;
  }

  private static Name concat(Name prefix, Name suffix) {
    try {
      return Name.concatenate(prefix, suffix);
    } catch (NameTooLongException e) {
      return prefix;
    }
  }

  /** Negative answers carry the SOA so resolvers can cache them (RFC 2308 section 3). */
  private void addSoa(Message answer, int step) {
    if (soa != null && step == 0) {
      answer.addRecord(soa, Section.AUTHORITY);
    }
  }

  int size() {
    return byName.values().stream().mapToInt(List::size).sum();
  }
}
