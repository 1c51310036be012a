package dev.dnsgate.testing;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A recursive resolver's view of some {@link SignedZone}s, as a {@link ScriptedDotServer} script:
 * data with its RRSIGs (when the query has DO), NXDOMAIN and NODATA with the SOA and the zone's whole
 * NSEC or NSEC3 chain, DS from the parent zone. Names in no zone get {@link ScriptedDotServer#standard}.
 */
public final class SignedZones {

  private final List<SignedZone> zones = new ArrayList<>();

  public SignedZones add(SignedZone zone) {
    zones.add(zone);
    return this;
  }

  /** The zone whose apex is {@code apex}. */
  public SignedZone zone(String apex) {
    return zones.stream().filter(z -> z.apex().toString().equals(apex)).findFirst().orElseThrow();
  }

  public ScriptedDotServer.Reply answer(Message query) {
    Record question = query.getQuestion();
    Name name = question.getName();
    int type = question.getType();
    SignedZone zone = zoneFor(name, type == Type.DS);
    if (zone == null) {
      return ScriptedDotServer.standard(query);
    }
    OPTRecord opt = query.getOPT();
    boolean dnssec = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    Message response = ScriptedDotServer.responseTo(query);
    RRset found = zone.find(name, type);
    if (found != null) {
      put(response, found, Section.ANSWER, dnssec);
    } else {
      response.getHeader().setRcode(zone.exists(name) ? Rcode.NOERROR : Rcode.NXDOMAIN);
      put(response, zone.soa(), Section.AUTHORITY, dnssec);
      if (dnssec) {
        for (RRset set : zone.denial()) {
          put(response, set, Section.AUTHORITY, true);
        }
      }
    }
    if (opt != null) {
      response.addRecord(new OPTRecord(1232, 0, 0, dnssec ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return ScriptedDotServer.Reply.answer(response);
  }

  /** The deepest zone holding {@code name}; for DS, the zone above a child's apex. */
  private SignedZone zoneFor(Name name, boolean parentSide) {
    SignedZone best = null;
    for (SignedZone zone : zones) {
      boolean holds = name.subdomain(zone.apex()) && !(parentSide && name.equals(zone.apex()));
      if (holds && (best == null || zone.apex().labels() > best.apex().labels())) {
        best = zone;
      }
    }
    return best;
  }

  private static void put(Message response, RRset set, int section, boolean dnssec) {
    for (Record r : set.rrs(false)) {
      response.addRecord(r, section);
    }
    if (dnssec) {
      for (Record sig : set.sigs()) {
        response.addRecord(sig, section);
      }
    }
  }
}
