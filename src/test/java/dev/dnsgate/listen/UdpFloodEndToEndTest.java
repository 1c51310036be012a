package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * More datagrams than the proxy can take: the excess is shed by the kernel at the socket buffer
 * (counted, so nothing is lost unaccounted), nothing queues up in the JVM, and service goes on.
 */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(UdpFloodEndToEndTest.SmallSocketBuffer.class)
class UdpFloodEndToEndTest {

  private static final int SENDERS = 4;
  private static final int DATAGRAMS_PER_SENDER = 20_000;
  private static final int MAX_ROUNDS = 5;

  /** A small receive buffer, so that a flood from the test's own threads overflows it. */
  public static class SmallSocketBuffer implements QuarkusTestProfile {
    @Override
    public java.util.Map<String, String> getConfigOverrides() {
      return java.util.Map.of("dnsgate.listen.udp-socket-buffer", "16384");
    }
  }

  @Inject DnsListeners listeners;
  @Inject QueryPipeline pipeline;
  @Inject MeterRegistry registry;

  @Test
  void floodBeyondCapacityIsShedCountedAndServiceGoesOn() throws Exception {
    DnsClient client = new DnsClient(listeners.port());
    byte[] query = DnsClient.query("flood.example.test.", Type.A).toWire();
    assertEquals(Rcode.NOERROR, client.udp(new Message(query)).getRcode()); // cached from now on
    double answeredBefore = udpAnswered();
    double dropsBefore = kernelDrops();

    long sent = 0;
    for (int round = 0; round < MAX_ROUNDS && kernelDrops() == dropsBefore; round++) {
      sent += flood(query);
    }
    long total = sent;

    Eventually.await("every datagram answered or counted as shed",
        () -> udpAnswered() - answeredBefore + kernelDrops() - dropsBefore == total, 10_000);
    assertTrue(kernelDrops() > dropsBefore, "the flood went beyond what the proxy reads");
    Eventually.await("nothing left queued in the proxy", () -> pipeline.inFlight() == 0, 5_000);
    assertEquals(Rcode.NOERROR, client.udp(DnsClient.query("after-flood.example.test.", Type.A)).getRcode());
  }

  /** Several threads send as fast as they can and never read: only the proxy's side is measured. */
  private long flood(byte[] query) throws Exception {
    InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), listeners.port());
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        done.add(senders.submit(() -> {
          try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            DatagramPacket packet = new DatagramPacket(query, query.length, target);
            for (int i = 0; i < DATAGRAMS_PER_SENDER; i++) {
              socket.send(packet);
            }
          }
          return DATAGRAMS_PER_SENDER;
        }));
      }
      long sent = 0;
      for (Future<Integer> f : done) {
        sent += f.get();
      }
      return sent;
    } finally {
      senders.shutdown();
    }
  }

  private double udpAnswered() {
    return registry.find("dnsgate.queries").tag("transport", "udp").counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private double kernelDrops() {
    return registry.find("dnsgate.udp.kernel_drops").functionCounter().count();
  }
}
