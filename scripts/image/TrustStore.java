import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;

/**
 * Writes the image's Java trust store: every PEM certificate of the given files as a trusted entry
 * of a JKS key store with the JDK's customary password "changeit", the format of the JDK's own
 * lib/security/cacerts. Used by base.sh with Debian's ca-certificates (one certificate per file).
 *
 * <p>Usage: {@code java TrustStore.java OUT CERT-FILE...}
 */
public class TrustStore {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: java TrustStore.java OUT CERT-FILE...");
    }
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    for (int i = 1; i < args.length; i++) {
      Path file = Path.of(args[i]);
      String name = file.getFileName().toString().replaceFirst("\\.crt$", "").toLowerCase();
      try (InputStream in = Files.newInputStream(file)) {
        int n = 0;
        for (Certificate certificate : x509.generateCertificates(in)) {
          store.setCertificateEntry(n == 0 ? name : name + "-" + n, certificate);
          n++;
        }
      }
    }
    try (OutputStream out = Files.newOutputStream(Path.of(args[0]))) {
      store.store(out, "changeit".toCharArray());
    }
    System.out.println(store.size() + " trusted certificates in " + args[0]);
  }
}
