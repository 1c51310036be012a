package dev.dnsgate.dnssec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The precise Extended DNS Error of a bogus answer whose validator said only "DNSSEC Bogus" (6): for
 * a positive answer dnsjava reports the failed RRset, not why it failed. Read off the upstream's answer:
 * an RRset without signatures (10), all of its signatures expired (7) or not yet valid (8), a denial
 * without NSEC or NSEC3 records (12); else 6 stands.
 */
final class BogusCause {

  private record Owner(Name name, int type) {}

  private BogusCause() {}

  static int of(Message upstream, Instant now) {
    List<Record> answer = upstream.getSection(Section.ANSWER);
    if (answer.isEmpty()) {
      boolean proof = upstream.getSection(Section.AUTHORITY).stream()
          .anyMatch(r -> r.getType() == Type.NSEC || r.getType() == Type.NSEC3);
      return proof ? ExtendedErrorCodeOption.DNSSEC_BOGUS : ExtendedErrorCodeOption.NSEC_MISSING;
    }
    Map<Owner, List<RRSIGRecord>> signatures = new HashMap<>();
    for (Record r : answer) {
      if (r instanceof RRSIGRecord sig) {
        signatures.computeIfAbsent(new Owner(sig.getName(), sig.getTypeCovered()), o -> new ArrayList<>()).add(sig);
      }
    }
    for (Record r : answer) {
      if (r.getType() == Type.RRSIG) {
        continue;
      }
      List<RRSIGRecord> sigs = signatures.get(new Owner(r.getName(), r.getType()));
      if (sigs == null) {
        return ExtendedErrorCodeOption.RRSIGS_MISSING;
      }
      if (sigs.stream().allMatch(sig -> sig.getExpire().isBefore(now))) {
        return ExtendedErrorCodeOption.SIGNATURE_EXPIRED;
      }
      if (sigs.stream().allMatch(sig -> sig.getTimeSigned().isAfter(now))) {
        return ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID;
      }
    }
    return ExtendedErrorCodeOption.DNSSEC_BOGUS;
  }
}
