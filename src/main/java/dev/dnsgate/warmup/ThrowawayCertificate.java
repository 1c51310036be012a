package dev.dnsgate.warmup;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A self-signed certificate made in memory for the warm-up's own loopback DoT server and trusted by
 * nothing but the warm-up's client: the JDK has no public API to make one, Netty's generator needs
 * BouncyCastle or JDK internals, and shipping a fixed key in the jar would be worse. A minimal X.509
 * v1 certificate (RFC 5280 section 4.1) suffices: the name is in the common name, which the JDK's
 * host name check reads when there is no subjectAltName.
 *
 * @param certificatePem the certificate, PEM
 * @param privateKeyPem its EC P-256 key, PKCS#8 PEM
 */
record ThrowawayCertificate(String certificatePem, String privateKeyPem) {

  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final int[] ECDSA_WITH_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
  private static final int[] COMMON_NAME = {2, 5, 4, 3};

  static ThrowawayCertificate create(String name, Instant notBefore, Instant notAfter) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
      byte[] subject = sequence(set(sequence(oid(COMMON_NAME), tlv(0x0C, name.getBytes(StandardCharsets.UTF_8)))));
      byte[] tbs = sequence(
          tlv(0x02, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
          algorithm,
          subject,
          sequence(utcTime(notBefore), utcTime(notAfter)),
          subject,
          keys.getPublic().getEncoded());
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] certificate = sequence(tbs, algorithm, bitString(signer.sign()));
      return new ThrowawayCertificate(
          pem("CERTIFICATE", certificate), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make an EC P-256 key and signature", e);
    }
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] utcTime(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] bitString(byte[] bits) {
    byte[] content = new byte[bits.length + 1]; // first byte: no unused bits
    System.arraycopy(bits, 0, content, 1, bits.length);
    return tlv(0x03, content);
  }

  private static byte[] oid(int[] arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int shift = 28;
      while (shift > 0 && (arc >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        out.write(0x80 | ((arc >>> shift) & 0x7F));
      }
      out.write(arc & 0x7F);
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] sequence(byte[]... parts) {
    return tlv(0x30, parts);
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, parts);
  }

  /** DER tag, length (short or long form) and content. */
  private static byte[] tlv(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | octets);
      for (int i = octets - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
