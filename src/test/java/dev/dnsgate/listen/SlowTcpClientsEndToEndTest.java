package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.Meters;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Clients that hold TCP connections without finishing their queries (slowloris): the caps and the
 * read timeout (500 ms in the test profile) bound them, and UDP service goes on meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
class SlowTcpClientsEndToEndTest {

  private static final int CLIENT_ADDRESSES = 50;
  private static final int CONNECTIONS_PER_ADDRESS = 50; // under the per-client cap of 64

  @Inject DnsListeners listeners;
  @Inject MeterRegistry registry;
  @Inject DnsgateConfig config;

  DnsClient client;

  @BeforeEach
  void setUp() {
    DotUpstreamsResource.resetAll();
    client = new DnsClient(listeners.port());
  }

  @Test
  void thousandsOfIdleTcpClientsAreCappedAndUdpIsStillServed() throws Exception {
    // Another test's client may still hold a connection, which the server's idle timeout can close
    // at any moment: counted from a baseline that includes it, the sum below would then stop one
    // short and never add up (seen once in a full run). So start when none is left.
    Eventually.await("other tests' TCP clients gone",
        () -> Meters.value(registry, "dnsgate.tcp.connections") == 0,
        config.listen().tcp().idleTimeout().toMillis() + 5_000);
    long refusedBefore = Meters.value(registry, "dnsgate.tcp.refused");
    List<Socket> idle = new ArrayList<>();
    try {
      for (int a = 1; a <= CLIENT_ADDRESSES; a++) {
        InetAddress from = InetAddress.getByName("127.0.1." + a);
        for (int i = 0; i < CONNECTIONS_PER_ADDRESS; i++) {
          Socket socket = new Socket();
          socket.bind(new InetSocketAddress(from, 0));
          socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listeners.port()), 10_000);
          idle.add(socket);
        }
      }
      int attempted = CLIENT_ADDRESSES * CONNECTIONS_PER_ADDRESS;
      Eventually.await("every connection accepted or refused",
          () -> Meters.value(registry, "dnsgate.tcp.connections") + Meters.value(registry, "dnsgate.tcp.refused") - refusedBefore
              >= attempted,
          10_000);
      Message response = client.udp(DnsClient.query("during-slowloris.example.test.", Type.A));

      assertEquals(Rcode.NOERROR, response.getRcode());
      assertTrue(Meters.value(registry, "dnsgate.tcp.connections") <= 1000, "the total cap holds: " + Meters.value(registry, "dnsgate.tcp.connections"));
      assertTrue(Meters.value(registry, "dnsgate.tcp.refused") - refusedBefore >= attempted - 1000);
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
    Eventually.await("every slot released once the clients are gone",
        () -> Meters.value(registry, "dnsgate.tcp.connections") == 0,
        10_000);
  }

  @Test
  void clientThatStopsMidMessageIsClosedAfterTheReadTimeout() throws Exception {
    long timeoutsBefore = Meters.value(registry, "dnsgate.tcp.read_timeouts");
    byte[] query = DnsClient.query("trickle.example.test.", Type.A).toWire();
    try (DnsClient.TcpSession session = client.tcpSession()) {
      long started = System.nanoTime();
      session.sendRaw(new byte[] {0, (byte) query.length, query[0], query[1]});

      assertTrue(session.closedByServer(), "a half-sent message does not hold the connection");
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;
      assertTrue(elapsedMs >= 400, "closed by the read timeout, not at once: " + elapsedMs + " ms");
    }
    assertEquals(timeoutsBefore + 1, Meters.value(registry, "dnsgate.tcp.read_timeouts"));
  }

  @Test
  void messageSplitAcrossReadsWithinTheReadTimeoutIsAnswered() throws Exception {
    long timeoutsBefore = Meters.value(registry, "dnsgate.tcp.read_timeouts");
    byte[] query = DnsClient.query("split.example.test.", Type.A).toWire();
    try (DnsClient.TcpSession session = client.tcpSession()) {
      for (int round = 0; round < 3; round++) {
        // each message arrives in two parts 200 ms apart: three messages take longer than one read
        // timeout (500 ms) in total, but each is complete well within it
        session.sendRaw(new byte[] {0, (byte) query.length, query[0]});
        pause(200);
        session.sendRaw(java.util.Arrays.copyOfRange(query, 1, query.length));

        assertEquals(Rcode.NOERROR, new Message(session.receive()).getRcode());
      }
    }
    assertEquals(timeoutsBefore, Meters.value(registry, "dnsgate.tcp.read_timeouts"));
  }

  /** The gap between the parts of a message is the behaviour under test, not a synchronisation. */
  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
