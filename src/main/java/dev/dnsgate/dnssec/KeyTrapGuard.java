package dev.dnsgate.dnssec;

import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Refuses, before any signature is checked, an answer that would make the validator check too many:
 * an RRset with more RRSIGs, or a DNSKEY set with more keys sharing one key tag and algorithm, than
 * {@code dnsgate.dnssec.max-signature-checks}. dnsjava tries every key whose tag matches a signature,
 * for every signature (CVE-2023-50387, KeyTrap): bounded here, the checks per RRset are at most the
 * limit squared. Real zones have one to three signatures per RRset and distinct key tags.
 */
final class KeyTrapGuard {

  private record Owner(Name name, int type) {}

  private record Tag(Name name, int algorithm, int footprint) {}

  private KeyTrapGuard() {}

  /** Throws {@link ValidationLimitException} naming the zone when {@code answer} exceeds {@code max}. */
  static void check(Message answer, int max) {
    Map<Owner, Integer> signatures = new HashMap<>();
    Map<Tag, Integer> keys = new HashMap<>();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : answer.getSection(section)) {
        if (r instanceof RRSIGRecord sig) {
          int count = signatures.merge(new Owner(sig.getName(), sig.getTypeCovered()), 1, Integer::sum);
          if (count > max) {
            throw new ValidationLimitException(ValidationLimitException.Limit.SIGNATURES, sig.getSigner().toString(), "more than "
                + max + " signatures over one RRset (dnsgate.dnssec.max-signature-checks)");
          }
        } else if (r instanceof DNSKEYRecord key) {
          int count = keys.merge(new Tag(key.getName(), key.getAlgorithm(), key.getFootprint()), 1, Integer::sum);
          if (count > max) {
            throw new ValidationLimitException(ValidationLimitException.Limit.SIGNATURES, key.getName().toString(), "more than "
                + max + " DNSKEYs share key tag " + key.getFootprint() + " (dnsgate.dnssec.max-signature-checks)");
          }
        }
      }
    }
  }
}
