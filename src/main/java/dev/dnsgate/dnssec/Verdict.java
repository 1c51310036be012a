package dev.dnsgate.dnssec;

import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.upstream.Validation;
import dev.dnsgate.upstream.Validation.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Turns what dnsjava's validator returned into the answer a client may see and its {@link Validation}:
 * the validator says "secure" with AD, "bogus" with SERVFAIL and an Extended DNS Error, and its reason
 * in a private TXT record (class 65280) that is read here and never passed on.
 */
final class Verdict {

  /** The Extended DNS Errors a bogus answer keeps (RFC 8914); any other bogus reason is 6. */
  private static final Set<Integer> BOGUS_CODES = Set.of(
      ExtendedErrorCodeOption.DNSSEC_BOGUS, ExtendedErrorCodeOption.SIGNATURE_EXPIRED,
      ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID, ExtendedErrorCodeOption.DNSKEY_MISSING,
      ExtendedErrorCodeOption.RRSIGS_MISSING, ExtendedErrorCodeOption.NSEC_MISSING);

  /** EDE text is for people; an unbounded one would eat the client's UDP size budget. */
  static final int MAX_TEXT = 160;

  private Verdict() {}

  /**
   * @param validated the validator's answer (changed in place)
   * @param asked the upstream's answer to the question, for the zone at fault
   * @param dnssecOk whether the client set DO: without it, DNSSEC records it did not ask for are removed
   */
  static UpstreamAnswer of(Message validated, Message asked, int askedType, boolean dnssecOk) {
    String reason = takeReason(validated);
    ExtendedErrorCodeOption ede = takeEde(validated);
    // the validator asked with CD=1 and the upstream echoed it; the client asked without (else no validation)
    validated.getHeader().unsetFlag(Flags.CD);
    Name zone = zoneOf(asked != null ? asked : validated);
    if (validated.getHeader().getFlag(Flags.AD)) {
      return passed(validated, askedType, dnssecOk, new Validation(Status.SECURE, zone.toString(), null), null);
    }
    if (validated.getRcode() == Rcode.SERVFAIL && ede != null) {
      int code = ede.getErrorCode();
      Status status = code == ExtendedErrorCodeOption.DNSSEC_INDETERMINATE ? Status.INDETERMINATE : Status.BOGUS;
      if (status == Status.BOGUS && !BOGUS_CODES.contains(code)) {
        code = ExtendedErrorCodeOption.DNSSEC_BOGUS;
      }
      if (code == ExtendedErrorCodeOption.DNSSEC_BOGUS && asked != null) {
        code = BogusCause.of(asked, Instant.now());
      }
      return refused(validated, new Validation(status, zone.toString(), reason != null ? reason : ede.getText()), code);
    }
    EDNSOption kept = ede != null && ede.getErrorCode() == ExtendedErrorCodeOption.UNSUPPORTED_DNSKEY_ALGORITHM
        ? new ExtendedErrorCodeOption(ede.getErrorCode(), text(zone.toString(), reason)) : null;
    validated.getHeader().unsetFlag(Flags.AD);
    return passed(validated, askedType, dnssecOk, new Validation(Status.INSECURE, zone.toString(), reason), kept);
  }

  /** SERVFAIL with the Extended DNS Error {@code code} and an EXTRA-TEXT naming the zone. */
  static UpstreamAnswer refused(Message like, Validation validation, int code) {
    Message failed = new Message(like.getHeader().getID());
    failed.getHeader().setFlag(Flags.QR);
    for (int flag : new int[] {Flags.RD, Flags.RA}) {
      if (like.getHeader().getFlag(flag)) {
        failed.getHeader().setFlag(flag);
      }
    }
    failed.getHeader().setRcode(Rcode.SERVFAIL);
    failed.addRecord(like.getQuestion(), Section.QUESTION);
    EDNSOption ede = new ExtendedErrorCodeOption(code, text(validation.zone(), validation.reason()));
    failed.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(ede)), Section.ADDITIONAL);
    return new UpstreamAnswer(failed, failed.toWire(), validation);
  }

  /** An answer passed on as it came (minus the upstream's AD, which only we may set). */
  static UpstreamAnswer unchecked(UpstreamAnswer answer, Validation validation) {
    if (!answer.message().getHeader().getFlag(Flags.AD)) {
      return answer.withValidation(validation);
    }
    Message copy = answer.message().clone();
    copy.getHeader().unsetFlag(Flags.AD);
    return new UpstreamAnswer(copy, copy.toWire(), validation);
  }

  static String text(String zone, String reason) {
    String text = zone + ": " + (reason == null ? "validation failed" : reason);
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
  }

  private static UpstreamAnswer passed(Message m, int askedType, boolean dnssecOk, Validation v, EDNSOption ede) {
    if (!dnssecOk) {
      withoutDnssecRecords(m, askedType);
    }
    if (ede != null) {
      m.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(ede)), Section.ADDITIONAL);
    }
    return new UpstreamAnswer(m, m.toWire(), v);
  }

  /** RFC 4035 section 3.2.1: without DO, no RRSIG, NSEC or NSEC3 records unless asked for by type. */
  private static void withoutDnssecRecords(Message m, int askedType) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : new ArrayList<>(m.getSection(section))) {
        int type = r.getType();
        if ((type == Type.RRSIG || type == Type.NSEC || type == Type.NSEC3) && type != askedType) {
          m.removeRecord(r, section);
        }
      }
    }
  }

  /** Removes dnsjava's reason record and returns its text, or null. */
  private static String takeReason(Message m) {
    String reason = null;
    for (Record r : new ArrayList<>(m.getSection(Section.ADDITIONAL))) {
      if (r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        if (r instanceof TXTRecord txt) {
          reason = String.join("", txt.getStrings());
        }
        m.removeRecord(r, Section.ADDITIONAL);
      }
    }
    return reason;
  }

  /** Removes the OPT record (the validator's EDE rides on it) and returns the validator's EDE, or null. */
  private static ExtendedErrorCodeOption takeEde(Message m) {
    ExtendedErrorCodeOption found = null;
    for (OPTRecord opt = m.getOPT(); opt != null; opt = m.getOPT()) {
      for (EDNSOption option : opt.getOptions()) {
        if (option instanceof ExtendedErrorCodeOption ede && found == null) {
          found = ede;
        }
      }
      m.removeRecord(opt, Section.ADDITIONAL);
    }
    return found;
  }

  /**
   * The zone that decided: the signer of the first signature in the answer or authority section,
   * else the owner of the SOA of a denial, else the name asked.
   */
  static Name zoneOf(Message m) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : m.getSection(section)) {
        if (r instanceof RRSIGRecord sig) {
          return sig.getSigner();
        }
      }
    }
    for (Record r : m.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord) {
        return r.getName();
      }
    }
    return m.getQuestion() != null ? m.getQuestion().getName() : Name.root;
  }
}
