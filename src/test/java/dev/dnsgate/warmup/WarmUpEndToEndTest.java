package dev.dnsgate.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
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

/** The warm-up runs before the listeners open and leaves nothing behind: no counts, no cache, no upstream traffic. */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(WarmUpEndToEndTest.ShortWarmUp.class)
class WarmUpEndToEndTest {

  public static class ShortWarmUp implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("dnsgate.warm-up.duration", "500ms");
    }
  }

  @Inject WarmUpOnStart warmUp;
  @Inject DnsListeners listeners;
  @Inject AnswerCache cache;
  @Inject MeterRegistry registry;

  @Test
  void warmUpAnswersItsOwnQueriesAndLeavesNoTrace() throws Exception {
    WarmUp.Result result = warmUp.lastRun().orElseThrow();
    assertTrue(result.sent() > 0, "the warm-up sent queries");
    assertEquals(result.sent(), result.answered());
    assertEquals(0, queriesCounted());
    assertEquals(0, cache.size());

    DnsClient client = new DnsClient(listeners.port());
    assertEquals(Rcode.NOERROR, client.udp(DnsClient.query("after-warm-up.example.test.", Type.A)).getRcode());

    assertEquals(1, queriesCounted());
    assertTrue(DotUpstreamsResource.primary.received().stream()
        .noneMatch(q -> q.getQuestion().getName().toString().endsWith(WarmUp.SERVER_NAME + ".")));
  }

  private double queriesCounted() {
    return registry.find("dnsgate.queries").counters().stream().mapToDouble(Counter::count).sum();
  }
}
