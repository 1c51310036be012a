package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.EncryptedListenersResource;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.TlsClients;
import dev.dnsgate.testing.TlsClients.DotSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The DoT listener with real clients (JDK TLS, kdig): the whole pipeline, framing, certificate renewal. */
@QuarkusTest
@QuarkusTestResource(EncryptedListenersResource.class)
class DotListenerEndToEndTest {

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

  private double answered(String transport) {
    return registry.find("dnsgate.queries").tag("transport", transport).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  @Test
  void dotQueryIsForwardedAndCountedAsDot() throws Exception {
    double before = answered("dot");
    try (DotSession dot = TlsClients.dot(listeners.dotPort(), "dns.test")) {
      dot.send(DnsClient.query("dot.example.test.", Type.A).toWire());
      Message response = new Message(dot.receive());
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertEquals("192.0.2.1", ((ARecord) DnsClient.firstAnswer(response)).getAddress().getHostAddress());
      assertTrue(Set.of("TLSv1.2", "TLSv1.3").contains(dot.protocol()), dot.protocol());
    }
    assertEquals(before + 1, answered("dot"));
  }

  @Test
  void pipelinedQueriesOnOneConnectionAreAllAnswered() throws Exception {
    try (DotSession dot = TlsClients.dot(listeners.dotPort(), "dns.test")) {
      Set<Integer> sent = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        Message query = DnsClient.query("p" + i + ".example.test.", Type.A);
        sent.add(query.getHeader().getID());
        dot.send(query.toWire());
      }
      Set<Integer> answered = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        Message response = new Message(dot.receive());
        assertEquals(Rcode.NOERROR, response.getRcode());
        answered.add(response.getHeader().getID());
      }
      assertEquals(sent, answered);
    }
  }

  @Test
  void largeAnswersAreNeverTruncatedOverDot() throws Exception {
    Message query = DnsClient.query(ScriptedDotServer.BIG_NAME, Type.TXT);
    try (DotSession dot = TlsClients.dot(listeners.dotPort(), "dns.test")) {
      dot.send(query.toWire());
      byte[] reply = dot.receive();
      Message response = new Message(reply);
      assertFalse(response.getHeader().getFlag(Flags.TC));
      assertEquals(8, response.getSection(org.xbill.DNS.Section.ANSWER).size());
      assertTrue(reply.length > 1232, "answer of " + reply.length + " bytes");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateCannotConnect() {
    // the JDK's own trust store does not hold the test CA: the handshake must fail, not fall back
    assertThrowsHandshake(() -> {
      var socket = (javax.net.ssl.SSLSocket) javax.net.ssl.SSLSocketFactory.getDefault()
          .createSocket("127.0.0.1", listeners.dotPort());
      socket.setSoTimeout(5000);
      socket.startHandshake();
      socket.close();
    });
  }

  private static void assertThrowsHandshake(org.junit.jupiter.api.function.Executable connect) {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, connect);
    assertTrue(e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException, e.toString());
  }

  @Test
  void renewedCertificateIsServedToNewConnectionsWhileOpenOnesKeepWorking() throws Exception {
    BigInteger first;
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (DotSession open = TlsClients.dot(listeners.dotPort(), "dns.test")) {
      first = open.peerCertificate().getSerialNumber();
      // load: new connections and queries throughout the renewal
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread thread = new Thread(() -> {
          while (running.get()) {
            try (DotSession dot = TlsClients.dot(listeners.dotPort(), "dns.test")) {
              for (int i = 0; i < 5; i++) {
                dot.send(DnsClient.query("load" + i + ".example.test.", Type.A).toWire());
                assertEquals(Rcode.NOERROR, new Message(dot.receive()).getRcode());
                answered.incrementAndGet();
              }
            } catch (Throwable e) {
              failure.compareAndSet(null, e);
            }
          }
        });
        thread.start();
        load.add(thread);
      }
      Eventually.await("load running", () -> answered.get() > 20, 10_000);
      EncryptedListenersResource.installCertificate("renewed-dns.test");
      Eventually.await("a new connection sees the renewed certificate", () -> {
        try (DotSession dot = TlsClients.dot(listeners.dotPort(), "dns.test")) {
          return !dot.peerCertificate().getSerialNumber().equals(first);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, 10_000);
      int atRenewal = answered.get();
      Eventually.await("load goes on after the renewal", () -> answered.get() > atRenewal + 20, 10_000);
      running.set(false);
      for (Thread thread : load) {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      }
      // the connection opened before the renewal still answers
      open.send(DnsClient.query("still-open.example.test.", Type.A).toWire());
      assertEquals(Rcode.NOERROR, new Message(open.receive()).getRcode());
      assertEquals(first, open.peerCertificate().getSerialNumber());
    } finally {
      running.set(false);
    }
    assertEquals(null, failure.get(), "every query under load was answered");
  }

  @Test
  void brokenRenewalKeepsTheOldCertificateServing() throws Exception {
    BigInteger serving;
    try (DotSession dot = TlsClients.dot(listeners.dotPort(), "dns.test")) {
      serving = dot.peerCertificate().getSerialNumber();
    }
    EncryptedListenersResource.writeCertificate("-----BEGIN CERTIFICATE-----\nbroken\n".getBytes(StandardCharsets.US_ASCII));
    assertFalse(listeners.tls().reloadIfChanged(), "a broken certificate file is not taken");
    try (DotSession dot = TlsClients.dot(listeners.dotPort(), "dns.test")) {
      assertEquals(serving, dot.peerCertificate().getSerialNumber());
      dot.send(DnsClient.query("after-broken.example.test.", Type.A).toWire());
      assertEquals(Rcode.NOERROR, new Message(dot.receive()).getRcode());
    }
    assertNotEquals(null, serving);
  }

  @Test
  void kdigOverTlsWithTheTestCaGetsTheAnswer() throws Exception {
    Assumptions.assumeTrue(onPath("kdig"), "kdig (knot-dnsutils) is not installed: skipping the kdig check");
    Process kdig = new ProcessBuilder("kdig", "@127.0.0.1", "-p", String.valueOf(listeners.dotPort()), "+tls",
        "+tls-ca=" + dev.dnsgate.testing.TestFiles.tls("test-ca.pem"), "+tls-hostname=dns.test", "+time=5",
        "+retry=0", "kdig.example.test", "A").redirectErrorStream(true).start();
    assertTrue(kdig.waitFor(20, TimeUnit.SECONDS), "kdig finished");
    String out = new String(kdig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, kdig.exitValue(), out);
    assertTrue(out.contains("NOERROR") && out.contains("192.0.2.1"), out);
    assertTrue(out.contains("TLS"), out);
  }

  private int rcodeOverDot(String serverName, String name) throws Exception {
    try (DotSession dot = TlsClients.dot(listeners.dotPort(), serverName)) {
      dot.send(DnsClient.query(name, Type.A).toWire());
      return new Message(dot.receive()).getRcode();
    }
  }

  @Test
  void theNameAClientAsksForNamesItInRules() throws Exception {
    // e2e.yaml blocks games.e2e.test for clients named kids-*; *.dns.test is in the certificate
    assertEquals(Rcode.NXDOMAIN, rcodeOverDot("kids-tablet.dns.test", "play.games.e2e.test."));
    assertEquals(Rcode.NOERROR, rcodeOverDot("laptop.dns.test", "play.games.e2e.test."));
    assertEquals(Rcode.NOERROR, rcodeOverDot("dns.test", "play.games.e2e.test."));
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
