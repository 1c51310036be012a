package dev.dnsgate.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.listen.DnsListeners;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The warm-up runs once the listeners are open, so clients are answered while it goes on, and it
 * leaves nothing behind: no counts, no cache entries, no upstream traffic.
 */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(WarmUpEndToEndTest.BackgroundWarmUp.class)
class WarmUpEndToEndTest {

  public static class BackgroundWarmUp implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // long enough that the test's first query surely comes while it still runs
      return Map.of("dnsgate.warm-up.duration", "3s");
    }
  }

  @Inject WarmUpOnStart warmUp;
  @Inject DnsListeners listeners;
  @Inject AnswerCache cache;
  @Inject MeterRegistry registry;

  @Test
  void clientsAreAnsweredWhileTheWarmUpRunsAndItLeavesNoTrace() throws Exception {
    DnsClient client = new DnsClient(listeners.port());
    assertEquals(Rcode.NOERROR, client.udp(DnsClient.query("during-warm-up.example.test.", Type.A)).getRcode());
    assertTrue(warmUp.lastRun().isEmpty(), "answered before the warm-up ended");

    Eventually.await("the warm-up ends", () -> warmUp.lastRun().isPresent(), 30_000);
    WarmUp.Result result = warmUp.lastRun().orElseThrow();
    assertTrue(result.sent() > 0, "the warm-up sent queries");
    assertEquals(result.sent(), result.answered());
    assertEquals(1, queriesCounted());
    assertEquals(1, cache.size(), "only the client's answer is cached");

    assertEquals(Rcode.NOERROR, client.udp(DnsClient.query("after-warm-up.example.test.", Type.A)).getRcode());
    assertEquals(2, queriesCounted());
    assertTrue(DotUpstreamsResource.primary.received().stream()
        .noneMatch(q -> q.getQuestion().getName().toString().endsWith(WarmUp.SERVER_NAME + ".")));
  }

  private double queriesCounted() {
    return registry.find("dnsgate.queries").counters().stream().mapToDouble(Counter::count).sum();
  }
}
