import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the image's Java trust store: every certificate of a PEM bundle as a trusted entry of a
 * JKS key store with the JDK's customary password "changeit", the format of the JDK's own
 * lib/security/cacerts. Each entry is named after its certificate's CN. base.sh runs it on Debian's
 * ca-certificates joined into one file (their file names are not ASCII, which a JVM in the C
 * locale, as in a Docker build, cannot open).
 *
 * <p>Usage: {@code java TrustStore.java BUNDLE.pem OUT}
 */
public class TrustStore {
  private static final Pattern CN = Pattern.compile("(?:^|,)CN=((?:[^,\\\\]|\\\\.)+)");

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: java TrustStore.java BUNDLE.pem OUT");
    }
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        String subject = ((X509Certificate) certificate).getSubjectX500Principal().getName();
        Matcher cn = CN.matcher(subject);
        String name = (cn.find() ? cn.group(1) : subject).toLowerCase();
        String alias = name;
        for (int n = 2; store.containsAlias(alias); n++) {
          alias = name + " " + n;
        }
        store.setCertificateEntry(alias, certificate);
      }
    }
    try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
      store.store(out, "changeit".toCharArray());
    }
    System.out.println(store.size() + " trusted certificates in " + args[1]);
  }
}
