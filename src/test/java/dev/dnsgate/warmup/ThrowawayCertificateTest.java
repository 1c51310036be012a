package dev.dnsgate.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** The warm-up's certificate is well-formed X.509 that the JDK parses, verifies and dates correctly. */
class ThrowawayCertificateTest {

  private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant TO = FROM.plus(Duration.ofDays(1));

  @Test
  void certificateIsSelfSignedForTheNameAndItsKeyMatches() throws Exception {
    ThrowawayCertificate made = ThrowawayCertificate.create("warm-up.dnsgate.invalid", FROM, TO);
    X509Certificate certificate = parse(made.certificatePem());

    certificate.verify(certificate.getPublicKey());
    assertEquals("CN=warm-up.dnsgate.invalid", certificate.getSubjectX500Principal().getName());
    assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
    assertEquals("SHA256withECDSA", certificate.getSigAlgName());
    assertEquals(FROM, certificate.getNotBefore().toInstant());
    assertEquals(TO, certificate.getNotAfter().toInstant());
    assertThrows(CertificateExpiredException.class, () -> certificate.checkValidity(Date.from(TO.plusSeconds(1))));

    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(made.privateKeyPem()))));
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA");
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertEquals(true, verifier.verify(signature), "the PEM key is the certificate's key");
  }

  @Test
  void everyCertificateHasItsOwnKey() throws Exception {
    X509Certificate one = parse(ThrowawayCertificate.create("a.invalid", FROM, TO).certificatePem());
    X509Certificate two = parse(ThrowawayCertificate.create("a.invalid", FROM, TO).certificatePem());

    assertEquals(false, one.getPublicKey().equals(two.getPublicKey()));
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] der(String pem) {
    return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
  }
}
