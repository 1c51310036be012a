package dev.dnsgate.upstream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Public-key pins (RFC 7858 section 4.2, the {@code tls_pubkey_pinset} of stubby): base64 SHA-256
 * over a certificate's DER SubjectPublicKeyInfo. A chain matches when any of its certificates does,
 * so an operator may pin the server key or the issuing CA's key.
 */
final class SpkiPins {

  private final Set<String> pins;

  SpkiPins(List<String> pins) {
    this.pins = Set.copyOf(pins.stream().map(String::trim).toList());
  }

  boolean isEmpty() {
    return pins.isEmpty();
  }

  boolean matchesAny(List<Certificate> chain) {
    return chain.stream().map(SpkiPins::pinOf).anyMatch(pins::contains);
  }

  static String pinOf(Certificate certificate) {
    try {
      // getEncoded() of a public key is its SubjectPublicKeyInfo in DER.
      byte[] spki = certificate.getPublicKey().getEncoded();
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
