package dev.dnsgate.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsgate.testing.SignedZone;
import java.security.Security;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** A verification is remembered only when it succeeded, and only for exactly the same inputs. */
class VerifiedSignaturesTest {

  @Test
  void aSecondVerificationOfTheSameSignatureIsRememberedAndAForgeryIsNot() throws Exception {
    VerifiedSignatures.install();
    assertEquals(VerifiedSignatures.PROVIDER, Security.getProviders("Signature.SHA256withECDSA")[0].getName());
    SignedZone zone = SignedZone.nsec("memo.test.").add("www 300 IN A 192.0.2.1").sign();
    RRset set = zone.rrset("www", Type.A);
    RRSIGRecord sig = set.sigs().get(0);
    long before = VerifiedSignatures.size();
    DNSSEC.verify(set, sig, zone.dnskey());
    assertEquals(before + 1, VerifiedSignatures.size(), "remembered once verified");
    DNSSEC.verify(set, sig, zone.dnskey());
    assertEquals(before + 1, VerifiedSignatures.size(), "the same inputs: a hit, no new entry");
    zone.tamper("www", Type.A, "192.0.2.66");
    assertThrows(DNSSEC.DNSSECException.class, () -> DNSSEC.verify(zone.rrset("www", Type.A), sig, zone.dnskey()));
    assertEquals(before + 1, VerifiedSignatures.size(), "a failed verification is not remembered");
  }
}
