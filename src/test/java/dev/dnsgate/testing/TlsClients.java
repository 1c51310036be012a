package dev.dnsgate.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK clients of the DoT and DoH listeners that trust only the test CA and verify host names as real
 * clients do: an SSLSocket speaking RFC 7858, and java.net.http.HttpClient (HTTP/2 or HTTP/1.1).
 */
public final class TlsClients {

  private static final int TIMEOUT_MS = 5000;

  private TlsClients() {}

  public static SSLContext trustingTestCa() {
    try (InputStream in = new FileInputStream(TestFiles.tls("test-ca.pem"))) {
      Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("test-ca", ca);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the test CA trust", e);
    }
  }

  /** An HttpClient that trusts the test CA; the URI must name dns.test or 127.0.0.1 (both in the certificate). */
  public static HttpClient http(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(trustingTestCa())
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** One DoT connection to 127.0.0.1, asking for {@code serverName} (SNI) and verifying it. */
  public static DotSession dot(int port, String serverName) throws IOException {
    return new DotSession(port, serverName);
  }

  /** RFC 7858: a TLS connection carrying length-prefixed DNS messages. */
  public static final class DotSession implements AutoCloseable {
    private final SSLSocket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    DotSession(int port, String serverName) throws IOException {
      socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout(TIMEOUT_MS);
      SSLParameters params = socket.getSSLParameters();
      params.setServerNames(List.of(new SNIHostName(serverName)));
      params.setEndpointIdentificationAlgorithm("HTTPS"); // verify the name like a DoT client (RFC 8310)
      socket.setSSLParameters(params);
      socket.startHandshake();
      out = new DataOutputStream(socket.getOutputStream());
      in = new DataInputStream(socket.getInputStream());
    }

    public X509Certificate peerCertificate() throws IOException {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    public String protocol() {
      return socket.getSession().getProtocol();
    }

    public void send(byte[] message) throws IOException {
      out.writeShort(message.length);
      out.write(message);
      out.flush();
    }

    public byte[] receive() throws IOException {
      byte[] message = new byte[in.readUnsignedShort()];
      in.readFully(message);
      return message;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
