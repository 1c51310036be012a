package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.rules.match.Cidr;
import dev.dnsgate.testing.EncryptedListenersResource;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import dev.dnsgate.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * DoH over plain HTTP behind a reverse proxy: the client address for access control comes from
 * X-Forwarded-For / Forwarded only when the peer is a trusted proxy (127.0.0.1 here). A second DoH
 * listener in that mode, on the application's pipeline (its access list answers 10.0.0.0/8 and
 * refuses 198.51.100.0/24), rather than a second application.
 */
@QuarkusTest
@QuarkusTestResource(EncryptedListenersResource.class)
class DohBehindProxyEndToEndTest {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Inject DnsgateConfig config;
  @Inject QueryPipeline pipeline;
  @Inject Vertx vertx;

  private DohListener proxied;

  @BeforeEach
  void bindPlainHttpListener() {
    proxied = DohListener.bind(vertx, "127.0.0.1", 0, config.listen(), pipeline, null,
        new ForwardedClient(List.of(Cidr.parse("127.0.0.1/32")))).await().atMost(Duration.ofSeconds(10));
    upstreamAnswers();
  }

  @AfterEach
  void close() {
    proxied.close().await().atMost(Duration.ofSeconds(10));
  }

  /** The first forwarded query of a fresh JVM can outlast the upstream timeouts on a busy machine. */
  private void upstreamAnswers() {
    Eventually.await("the scripted upstream answers", () -> {
      try {
        return rcodeVia(null, null) == Rcode.NOERROR;
      } catch (Exception e) {
        return false;
      }
    }, 10_000);
  }

  private int rcodeVia(String header, String value) throws Exception {
    Message query = DnsClient.query("proxied.example.test.", Type.A);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxied.port()
        + "/dns-query?dns=" + Base64.getUrlEncoder().withoutPadding().encodeToString(query.toWire())))
        .timeout(Duration.ofSeconds(5));
    if (header != null) {
      request.header(header, value);
    }
    HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    return new Message(response.body()).getRcode();
  }

  @Test
  void forwardedAddressFromTheTrustedProxyDecidesAccess() throws Exception {
    assertEquals(Rcode.NOERROR, rcodeVia(null, null));
    assertEquals(Rcode.NOERROR, rcodeVia("X-Forwarded-For", "10.1.2.3"));
    assertEquals(Rcode.REFUSED, rcodeVia("X-Forwarded-For", "198.51.100.7"));
    // rightmost untrusted hop wins: a client cannot hide behind an address it wrote itself
    assertEquals(Rcode.REFUSED, rcodeVia("X-Forwarded-For", "10.1.2.3, 198.51.100.7"));
    assertEquals(Rcode.NOERROR, rcodeVia("X-Forwarded-For", "198.51.100.7, 10.1.2.3, 127.0.0.1"));
    assertEquals(Rcode.REFUSED, rcodeVia("Forwarded", "for=\"[2001:db8::1]:4711\""));
    assertEquals(Rcode.NOERROR, rcodeVia("Forwarded", "for=10.1.2.4;proto=https"));
    // a value that is not an address is no address: the peer (the proxy) is the client
    assertEquals(Rcode.NOERROR, rcodeVia("X-Forwarded-For", "unknown"));
  }

  @Test
  void headersFromAPeerThatIsNotATrustedProxyAreIgnored() throws Exception {
    // 127.0.0.2 is loopback too (allowed), but not the trusted proxy: its header must not make it 198.51.100.7
    Message query = DnsClient.query("untrusted.example.test.", Type.A);
    byte[] body = query.toWire();
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxied.port()), 5000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /dns-query HTTP/1.1\r\nHost: dns.test\r\nContent-Type: application/dns-message\r\n"
          + "X-Forwarded-For: 198.51.100.7\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      byte[] reply = new DataInputStream(socket.getInputStream()).readAllBytes();
      String text = new String(reply, StandardCharsets.ISO_8859_1);
      assertTrue(text.startsWith("HTTP/1.1 200"), text);
      int start = text.indexOf("\r\n\r\n") + 4;
      Message answer = new Message(java.util.Arrays.copyOfRange(reply, start, reply.length));
      assertEquals(Rcode.NOERROR, answer.getRcode());
    }
  }

  @Test
  void plainHttpServesOnlyDns() throws IOException, InterruptedException {
    HttpResponse<String> other = CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + proxied.port() + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, other.statusCode());
  }
}
