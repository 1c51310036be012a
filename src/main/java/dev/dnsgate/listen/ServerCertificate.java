package dev.dnsgate.listen;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The certificate chain and private key that the DoT and DoH listeners present, read from PEM files
 * and checked before use: both files parse, the key belongs to the first certificate, and that
 * certificate is valid now. What is served is the bytes that were checked (the files are read once
 * here), so a file half-written during a renewal is never loaded.
 *
 * @param keyManager what the TLS engine asks for the chain and key on each handshake
 * @param fingerprint SHA-256 of both files' bytes, to notice when they change
 * @param leaf the server's own certificate
 */
record ServerCertificate(X509ExtendedKeyManager keyManager, String fingerprint, X509Certificate leaf) {

  /** Why a certificate cannot be used, as one line naming the file. */
  static final class Problem extends Exception {
    Problem(String message) {
      super(message, null, false, false);
    }
  }

  /** The SHA-256 of both files as they are now; cheap enough to poll. */
  static String fingerprint(Path certFile, Path keyFile) throws Problem {
    return fingerprint(read(certFile, "cert-file"), read(keyFile, "key-file"));
  }

  static ServerCertificate load(Vertx vertx, Path certFile, Path keyFile) throws Problem {
    byte[] cert = read(certFile, "cert-file");
    byte[] key = read(keyFile, "key-file");
    List<X509Certificate> chain = chain(certFile, cert);
    X509Certificate leaf = chain.get(0);
    PemKeyCertOptions options =
        new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key));
    X509ExtendedKeyManager keyManager = keyManager(vertx, options, leaf, keyFile);
    String alias = keyManager.getServerAliases(leaf.getPublicKey().getAlgorithm(), null)[0];
    requireMatch(keyManager.getPrivateKey(alias), leaf, certFile, keyFile);
    try {
      leaf.checkValidity();
    } catch (GeneralSecurityException e) {
      throw new Problem(certFile + ": certificate for " + leaf.getSubjectX500Principal().getName()
          + " is not valid now (valid " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")");
    }
    return new ServerCertificate(keyManager, fingerprint(cert, key), leaf);
  }

  private static byte[] read(Path file, String key) throws Problem {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new Problem("cannot read " + key + " " + file + ": " + e);
    }
  }

  private static List<X509Certificate> chain(Path file, byte[] pem) throws Problem {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
        chain.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new Problem(file + ": not a PEM certificate chain: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new Problem(file + ": no certificate in the file");
    }
    return chain;
  }

  /** The key as Vert.x loads PEM (PKCS#1, PKCS#8, SEC1), with a key of the leaf's algorithm in it. */
  private static X509ExtendedKeyManager keyManager(Vertx vertx, PemKeyCertOptions options, X509Certificate leaf,
      Path keyFile) throws Problem {
    KeyManager[] managers;
    try {
      managers = options.getKeyManagerFactory(vertx).getKeyManagers();
    } catch (Exception e) {
      throw new Problem(keyFile + ": not a usable PEM private key for this certificate: " + e.getMessage());
    }
    for (KeyManager manager : managers) {
      if (manager instanceof X509ExtendedKeyManager x509) {
        String[] aliases = x509.getServerAliases(leaf.getPublicKey().getAlgorithm(), null);
        if (aliases != null && aliases.length > 0) {
          return x509;
        }
      }
    }
    throw new Problem(keyFile + ": no " + leaf.getPublicKey().getAlgorithm() + " private key found");
  }

  /** Signs with the key and verifies with the certificate: a key of another certificate fails here, not in clients. */
  private static void requireMatch(PrivateKey key, X509Certificate leaf, Path certFile, Path keyFile) throws Problem {
    byte[] probe = "dnsgate key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String algorithm = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> key.getAlgorithm(); // Ed25519, Ed448, EdDSA sign with their own name
    };
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new Problem(keyFile + ": cannot check the key against " + certFile + ": " + e.getMessage());
    }
    if (!matches) {
      throw new Problem(keyFile + ": the private key does not belong to the first certificate of " + certFile);
    }
  }

  private static String fingerprint(byte[] cert, byte[] key) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(cert);
      digest.update(key);
      return HexFormat.of().formatHex(digest.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "'" + leaf.getSubjectX500Principal().getName() + "' issued by '" + leaf.getIssuerX500Principal().getName()
        + "', valid until " + leaf.getNotAfter().toInstant();
  }
}
