package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.EncryptedListenersResource;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.TestFiles;
import dev.dnsgate.testing.TlsClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The DoH listener with real clients: java.net.http.HttpClient (HTTP/2, HTTP/1.1) and curl. */
@QuarkusTest
@QuarkusTestResource(EncryptedListenersResource.class)
class DohListenerEndToEndTest {

  private static final HttpClient H2 = TlsClients.http(HttpClient.Version.HTTP_2);
  private static final HttpClient H1 = TlsClients.http(HttpClient.Version.HTTP_1_1);

  @Inject DnsListeners listeners;
  @Inject MeterRegistry registry;
  @Inject AnswerCache cache;

  @BeforeEach
  void setUp() {
    DotUpstreamsResource.resetAll();
    cache.flush();
  }

  @AfterEach
  void restoreCertificate() throws Exception {
    EncryptedListenersResource.installCertificate("dns.test");
    listeners.tls().reloadIfChanged();
  }

  private URI uri(String pathAndQuery) {
    return URI.create("https://127.0.0.1:" + listeners.dohPort() + pathAndQuery);
  }

  private static String base64url(Message query) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(query.toWire());
  }

  private HttpResponse<byte[]> get(HttpClient client, String pathAndQuery) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
        BodyHandlers.ofByteArray());
  }

  private HttpResponse<byte[]> post(HttpClient client, String path, String type, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).header("Content-Type", type)
        .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofByteArray());
  }

  private double answered(String transport) {
    return registry.find("dnsgate.queries").tag("transport", transport).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private static void assertAnswer(HttpResponse<byte[]> response, int id) throws Exception {
    assertEquals(200, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    assertEquals("application/dns-message", response.headers().firstValue("content-type").orElseThrow());
    Message message = new Message(response.body());
    assertEquals(id, message.getHeader().getID());
    assertEquals(Rcode.NOERROR, message.getRcode());
    assertEquals("192.0.2.1", ((ARecord) DnsClient.firstAnswer(message)).getAddress().getHostAddress());
    // the scripted upstream answers with TTL 300, and this is the first time the name is asked
    assertEquals("max-age=300", response.headers().firstValue("cache-control").orElseThrow());
  }

  @Test
  void getAndPostOverHttp2AreAnsweredWithMaxAgeFromTheTtl() throws Exception {
    double before = answered("doh");
    Message get = DnsClient.query("get.example.test.", Type.A);
    get.getHeader().setID(0); // RFC 8484 section 4.1: clients use ID 0 for cache friendliness
    HttpResponse<byte[]> viaGet = get(H2, "/dns-query?dns=" + base64url(get));
    assertEquals(HttpClient.Version.HTTP_2, viaGet.version());
    assertAnswer(viaGet, 0);
    Message post = DnsClient.query("post.example.test.", Type.A);
    HttpResponse<byte[]> viaPost = post(H2, "/dns-query", "application/dns-message", post.toWire());
    assertEquals(HttpClient.Version.HTTP_2, viaPost.version());
    assertAnswer(viaPost, post.getHeader().getID());
    assertEquals(before + 2, answered("doh"));
  }

  @Test
  void http11IsServedToo() throws Exception {
    Message query = DnsClient.query("h1.example.test.", Type.A);
    HttpResponse<byte[]> response = post(H1, "/dns-query", "application/dns-message", query.toWire());
    assertEquals(HttpClient.Version.HTTP_1_1, response.version());
    assertAnswer(response, query.getHeader().getID());
  }

  @Test
  void largeAnswersAreNeverTruncatedOverDoh() throws Exception {
    Message query = DnsClient.query(ScriptedDotServer.BIG_NAME, Type.TXT);
    HttpResponse<byte[]> response = post(H2, "/dns-query", "application/dns-message", query.toWire());
    assertEquals(200, response.statusCode());
    Message message = new Message(response.body());
    assertFalse(message.getHeader().getFlag(Flags.TC));
    assertEquals(8, message.getSection(Section.ANSWER).size());
    assertTrue(response.body().length > 1232);
  }

  private static void assertPlainError(HttpResponse<byte[]> response, int status) {
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertEquals(status, response.statusCode(), body);
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"), response.headers().toString());
    assertFalse(body.toLowerCase().contains("<html"), body);
  }

  @Test
  void badRequestsGetTheirStatusAndNeverAnHtmlPage() throws Exception {
    double unsupportedBefore = rejected(415);
    for (HttpClient client : new HttpClient[] {H2, H1}) {
      assertPlainError(get(client, "/dns-query"), 400);
      assertPlainError(get(client, "/dns-query?dns=%21%21%21"), 400);
      assertPlainError(get(client, "/dns-query?dns=AAAA"), 400); // 3 bytes: not even a header
      Message response = DnsClient.query("r.example.test.", Type.A);
      response.getHeader().setFlag(Flags.QR);
      assertPlainError(get(client, "/dns-query?dns=" + base64url(response)), 400);
      assertPlainError(post(client, "/dns-query", "text/plain", DnsClient.query("t.example.test.", Type.A).toWire()), 415);
      assertPlainError(post(client, "/dns-query", "application/dns-message", new byte[70_000]), 413);
      assertPlainError(get(client, "/dns-query?dns=" + "A".repeat(5000)), 414);
      HttpResponse<byte[]> put = client.send(HttpRequest.newBuilder(uri("/dns-query")).timeout(Duration.ofSeconds(5))
          .PUT(BodyPublishers.ofByteArray(new byte[12])).header("Content-Type", "application/dns-message").build(),
          BodyHandlers.ofByteArray());
      assertPlainError(put, 405);
      assertEquals("GET, POST", put.headers().firstValue("allow").orElseThrow());
      assertPlainError(get(client, "/q/health"), 404);
      assertPlainError(get(client, "/dns-query/not_a_name"), 400);
    }
    assertEquals(unsupportedBefore + 2, rejected(415));
  }

  private double rejected(int status) {
    return registry.find("dnsgate.doh.rejected").tag("status", String.valueOf(status)).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  @Test
  void renewedCertificateIsServedToNewDohConnections() throws Exception {
    BigInteger first = serial(H2);
    EncryptedListenersResource.installCertificate("renewed-dns.test");
    listeners.tls().reloadIfChanged();
    Eventually.await("a new client sees the renewed certificate", () -> {
      try {
        return !serial(TlsClients.http(HttpClient.Version.HTTP_2)).equals(first);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, 10_000);
    // the client whose connection was opened before keeps being answered
    Message kept = DnsClient.query("kept.example.test.", Type.A);
    assertAnswer(post(H2, "/dns-query", "application/dns-message", kept.toWire()), kept.getHeader().getID());
  }

  private BigInteger serial(HttpClient client) throws Exception {
    Message query = DnsClient.query("serial.example.test.", Type.A);
    HttpResponse<byte[]> response = post(client, "/dns-query", "application/dns-message", query.toWire());
    return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
  }

  private static String run(int timeoutSeconds, String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", command) + " finished");
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void curlOverHttp2GetsAnswersForGetAndPost(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(DotListenerEndToEndTest.onPath("curl"), "curl is not installed: skipping the curl checks");
    String ca = TestFiles.tls("test-ca.pem");
    Message query = DnsClient.query("curl.example.test.", Type.A);
    Path body = Files.write(dir.resolve("query.bin"), query.toWire());
    Path out = dir.resolve("answer.bin");
    String get = run(20, "curl", "-sS", "--http2", "--cacert", ca, "-o", out.toString(),
        "-w", "%{http_version} %{http_code} %{content_type}", uri("/dns-query?dns=" + base64url(query)).toString());
    assertEquals("2 200 application/dns-message", get);
    assertEquals(query.getHeader().getID(), new Message(Files.readAllBytes(out)).getHeader().getID());
    String post = run(20, "curl", "-sS", "--http2", "--cacert", ca, "-o", out.toString(),
        "-H", "Content-Type: application/dns-message", "--data-binary", "@" + body,
        "-w", "%{http_version} %{http_code}", uri("/dns-query").toString());
    assertEquals("2 200", post);
    assertEquals("192.0.2.1", ((ARecord) DnsClient.firstAnswer(new Message(Files.readAllBytes(out)))).getAddress().getHostAddress());
  }

  @Test
  void curlResolvesThroughItsOwnDohUrl() throws Exception {
    Assumptions.assumeTrue(DotListenerEndToEndTest.onPath("curl"), "curl is not installed: skipping the curl --doh-url check");
    String help = run(20, "curl", "--help", "all");
    Assumptions.assumeTrue(help.contains("--doh-url"), "this curl has no DoH support: skipping the --doh-url check");
    // the name resolves (through dnsgate, to the scripted 192.0.2.1, a documentation address) and curl
    // then tries to connect there, which cannot succeed: what is asserted is where it tried to go
    String out = run(30, "curl", "-sv", "--connect-timeout", "1", "--max-time", "3", "--cacert",
        TestFiles.tls("test-ca.pem"), "--doh-url", uri("/dns-query").toString(), "http://curl-doh.example.test:9/");
    assertTrue(out.contains("192.0.2.1"), out);
    Eventually.await("the DoH query reached the upstream",
        () -> DotUpstreamsResource.primary.received().stream()
            .anyMatch(m -> m.getQuestion().getName().toString().equals("curl-doh.example.test.")), 5000);
  }

  private int rcodeVia(String path, String name) throws Exception {
    HttpResponse<byte[]> response = post(H2, path, "application/dns-message", DnsClient.query(name, Type.A).toWire());
    assertEquals(200, response.statusCode());
    return new Message(response.body()).getRcode();
  }

  @Test
  void theDohPathNamesTheClientInRules() throws Exception {
    // e2e.yaml blocks games.e2e.test for clients named kids-*
    assertEquals(Rcode.NXDOMAIN, rcodeVia("/dns-query/Kids-Phone", "play.games.e2e.test."));
    assertEquals(Rcode.NOERROR, rcodeVia("/dns-query/laptop", "play.games.e2e.test."));
    assertEquals(Rcode.NOERROR, rcodeVia("/dns-query", "play.games.e2e.test."));
  }

  @Test
  void theServerNameACurlClientAsksForNamesItOverDoh(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(DotListenerEndToEndTest.onPath("curl"), "curl is not installed: skipping the SNI client-name check");
    Message query = DnsClient.query("play.games.e2e.test.", Type.A);
    Path out = dir.resolve("answer.bin");
    for (String host : new String[] {"kids-laptop.dns.test", "laptop.dns.test"}) {
      int port = listeners.dohPort();
      String status = run(20, "curl", "-sS", "--http2", "--cacert", TestFiles.tls("test-ca.pem"),
          "--resolve", host + ":" + port + ":127.0.0.1", "-o", out.toString(), "-w", "%{http_code}",
          "https://" + host + ":" + port + "/dns-query?dns=" + base64url(query));
      assertEquals("200", status);
      int expected = host.startsWith("kids-") ? Rcode.NXDOMAIN : Rcode.NOERROR;
      assertEquals(expected, new Message(Files.readAllBytes(out)).getRcode(), host);
    }
  }
}
