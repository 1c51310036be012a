package dev.dnsgate.dnssec;

import dev.dnsgate.testing.SignedZone;
import dev.dnsgate.testing.SignedZones;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.xbill.DNS.Type;

/**
 * The test profile that signs the test zones (before Quarkus boots, as the anchor file must exist by
 * then) and turns validation on with e2e.test's key as the only trust anchor. Keys are derived from
 * the zone names, so the test's own {@link #build()} serves zones that match the anchor file. A
 * profile, not a class-restricted test resource: one of those left the TCP listener tests that ran
 * after it reading meters that no longer moved. The zones are served by the scripted
 * upstreams of DotUpstreamsResource (see DnssecEndToEndTest), rules from src/test/rules.
 *
 * <pre>
 * e2e.test (NSEC)           www, www2, real (rewrite target), tampered (forged), expired (old RRSIG),
 *                           broken.nta (forged, under a negative trust anchor), x.corp (forged, group
 *                           "corp" unvalidated)
 *   child.e2e.test          unsigned delegation (no DS): insecure
 *   n3.e2e.test (NSEC3)     host
 *   nokey.e2e.test          DS in the parent, DNSKEY set missing
 *   trap.e2e.test           40 keys sharing one key tag; host has 30 more signatures that verify against none
 * </pre>
 */
public class SignedZonesResource implements QuarkusTestProfile {

  static final Path ANCHORS = Path.of("target", "dnssec-e2e", "anchors.zone");

  @Override
  public Map<String, String> getConfigOverrides() {
    try {
      Files.createDirectories(ANCHORS.getParent());
      Files.writeString(ANCHORS, "; the test zone's key, signed in SignedZonesResource\n" + build().zone("e2e.test.").ds() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of(
        "dnsgate.dnssec.validate", "true",
        "dnsgate.dnssec.anchor-file", ANCHORS.toString(),
        "dnsgate.dnssec.anchor-mode", "replace",
        "dnsgate.dnssec.negative-anchors", "nta.e2e.test",
        "dnsgate.dnssec.skip-groups", "corp",
        "dnsgate.query-log.enabled", "true",
        "dnsgate.query-log.target", DnssecEndToEndTest.QUERY_LOG.toString());
  }

  /** Signs the zones afresh; the keys are the same each time (derived from the zone names). */
  static SignedZones build() {
    SignedZone child = SignedZone.unsigned("child.e2e.test.").add("host 300 IN A 192.0.2.40");
    SignedZone n3 = SignedZone.nsec3("n3.e2e.test.").add("host 300 IN A 192.0.2.50").sign();
    SignedZone nokey = SignedZone.nsec("nokey.e2e.test.").add("host 300 IN A 192.0.2.60").sign().hideDnskey();
    SignedZone trap = SignedZone.nsec("trap.e2e.test.").add("host 300 IN A 192.0.2.80").add("plain 300 IN A 192.0.2.81")
        .addCollidingKeys(40).sign()
        .addBogusSignatures("host", Type.A, 30);
    SignedZone parent = SignedZone.nsec("e2e.test.")
        .add("www 300 IN A 192.0.2.10")
        .add("www2 300 IN A 192.0.2.11")
        .add("real 300 IN A 192.0.2.12")
        .add("tampered 300 IN A 192.0.2.20")
        .add("expired 300 IN A 192.0.2.30")
        .add("broken.nta 300 IN A 192.0.2.70")
        .add("x.corp 300 IN A 192.0.2.90")
        .delegate(child).delegate(n3).delegate(nokey).delegate(trap)
        .sign()
        .tamper("tampered", Type.A, "198.51.100.66")
        .tamper("broken.nta", Type.A, "198.51.100.70")
        .tamper("x.corp", Type.A, "198.51.100.90")
        .resign("expired", Type.A, Instant.now().minus(Duration.ofDays(10)), Instant.now().minus(Duration.ofDays(3)));
    return new SignedZones().add(parent).add(child).add(n3).add(nokey).add(trap);
  }

}
