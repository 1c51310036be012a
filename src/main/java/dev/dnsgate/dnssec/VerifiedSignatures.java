package dev.dnsgate.dnssec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.spec.AlgorithmParameterSpec;
import java.util.List;

/**
 * Signatures already verified are not verified again: the analogue of Unbound's RRset cache keeping
 * an RRset's security status. dnsjava verifies through {@code Signature.getInstance(algorithm)}, so
 * this is a JCA provider placed first for the DNSSEC signature algorithms; it delegates everything to
 * the provider that would otherwise have been chosen, and remembers only successful verifications,
 * keyed by the SHA-256 of algorithm, public key, signed data and signature: a hit is the same
 * computation with the same inputs, so the same answer. Why: on JDK 17 an ECDSA P-256 verification
 * is pure Java, ~90 % of a validation's CPU (BENCHMARKS.md), and NSEC, DNSKEY and wildcard RRsets
 * repeat across answers.
 */
final class VerifiedSignatures {

  static final String PROVIDER = "dnsgate-dnssec-verified";
  private static final List<String> ALGORITHMS =
      List.of("SHA256withECDSA", "SHA384withECDSA", "SHA256withRSA", "SHA512withRSA", "SHA1withRSA");

  private static final Cache<ByteBuffer, Boolean> VERIFIED = Caffeine.newBuilder().maximumSize(100_000).build();

  private VerifiedSignatures() {}

  /**
   * Installs the provider first in line, once: later calls do nothing. One loaded by another class
   * loader (a test runner's beside the application's) is replaced, so that {@link #size()} and the
   * provider in use are the same.
   */
  static synchronized void install() {
    Provider installed = Security.getProvider(PROVIDER);
    if (installed instanceof MemoProvider) {
      return;
    }
    if (installed != null) {
      Security.removeProvider(PROVIDER);
    }
    Security.insertProviderAt(new MemoProvider(), 1);
  }

  /**
   * Removes the provider if it is this class loader's: at shutdown, so that a JVM that outlives the
   * application (a test run) does not route its TLS signatures through classes of a closed loader.
   */
  static synchronized void uninstall() {
    if (Security.getProvider(PROVIDER) instanceof MemoProvider) {
      Security.removeProvider(PROVIDER);
    }
  }

  /** How many verifications the memo holds (for tests). */
  static long size() {
    VERIFIED.cleanUp();
    return VERIFIED.estimatedSize();
  }

  private static final class MemoProvider extends Provider {
    MemoProvider() {
      super(PROVIDER, "1.0", "dnsgate: remembers successful DNSSEC signature verifications");
      for (String algorithm : ALGORITHMS) {
        putService(new Service(this, "Signature", algorithm, Memo.class.getName(), null, null) {
          @Override
          public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
            return new Memo(getAlgorithm());
          }
        });
      }
    }
  }

  /** One Signature object: a delegate from the next provider, plus the inputs of a verification. */
  private static final class Memo extends SignatureSpi {
    private final String algorithm;
    private final Signature delegate;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private byte[] key;

    Memo(String algorithm) throws NoSuchAlgorithmException {
      this.algorithm = algorithm;
      this.delegate = next(algorithm);
    }

    private static Signature next(String algorithm) throws NoSuchAlgorithmException {
      for (Provider provider : Security.getProviders("Signature." + algorithm)) {
        if (!provider.getName().equals(PROVIDER)) {
          return Signature.getInstance(algorithm, provider);
        }
      }
      throw new NoSuchAlgorithmException(algorithm);
    }

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
      delegate.initVerify(publicKey);
      key = publicKey.getEncoded();
      data.reset();
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
      key = null;
      delegate.initSign(privateKey);
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey, SecureRandom random) throws InvalidKeyException {
      key = null;
      delegate.initSign(privateKey, random);
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
      engineUpdate(new byte[] {b}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
      if (key != null) {
        data.write(b, off, len); // fed to the delegate only on a miss
      } else {
        delegate.update(b, off, len);
      }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
      return delegate.sign();
    }

    @Override
    protected boolean engineVerify(byte[] signature) throws SignatureException {
      byte[] signed = data.toByteArray();
      data.reset();
      ByteBuffer id = ByteBuffer.wrap(digest(signed, signature));
      if (VERIFIED.getIfPresent(id) != null) {
        return true;
      }
      delegate.update(signed);
      boolean valid = delegate.verify(signature);
      if (valid) {
        VERIFIED.put(id, Boolean.TRUE);
      }
      return valid;
    }

    private byte[] digest(byte[] signed, byte[] signature) {
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (byte[] part : new byte[][] {algorithm.getBytes(StandardCharsets.US_ASCII), key, signed, signature}) {
          sha256.update(ByteBuffer.allocate(4).putInt(part.length).array());
          sha256.update(part);
        }
        return sha256.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is in every JDK", e);
      }
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
      delegate.setParameter(params);
    }

    @Override
    protected java.security.AlgorithmParameters engineGetParameters() {
      return delegate.getParameters();
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
      throw new UnsupportedOperationException("deprecated Signature parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
      throw new UnsupportedOperationException("deprecated Signature parameters");
    }
  }
}
