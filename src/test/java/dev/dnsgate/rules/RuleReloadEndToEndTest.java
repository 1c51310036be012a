package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.DotUpstreamsResource;
import dev.dnsgate.testing.Eventually;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Hot reload through the real listeners: atomic swaps under load, bad edits keep the old rules. */
@QuarkusTest
@QuarkusTestResource(DotUpstreamsResource.class)
@TestProfile(RuleReloadEndToEndTest.WritableRules.class)
class RuleReloadEndToEndTest {

  /** A fixed path: the profile and the test class may be loaded by different class loaders. */
  static final Path DIR = createDir();

  /** A rules folder the test may write, polled every 50 ms. */
  public static class WritableRules implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      write("rules.yaml", version(1));
      return Map.of("dnsgate.rules.dir", DIR.toString(), "dnsgate.rules.reload-interval", "50ms");
    }
  }

  @Inject DnsListeners listeners;
  @Inject LiveRules engine;
  @Inject ReplacedRuleSets replaced;

  private static Path createDir() {
    try {
      return Files.createDirectories(Path.of("target", "rule-reload-test"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Two rules that only make sense together: a rewrite of q.test into vN.test, and a local answer
   * 10.0.0.N for vN.test. Half a rule set (new rewrite, old local zone) would forward the query and
   * return the upstream's 192.0.2.1.
   */
  static String version(int n) {
    return "rules:\n"
        + "  - name: rewrite-v" + n + "\n    action: rewrite\n    exact: q.test\n    to: v" + n + ".test\n"
        + "  - name: local-v" + n + "\n    action: local\n    records: [\"v" + n + ".test. 60 IN A 10.0.0." + n + "\"]\n";
  }

  static void write(String file, String content) {
    try {
      Path temp = DIR.resolve("." + file + ".tmp");
      Files.writeString(temp, content);
      Files.move(temp, DIR.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String answerFor(DnsClient client) throws Exception {
    Message response = client.udp(DnsClient.query("q.test.", Type.A));
    return ((ARecord) DnsClient.firstAnswer(response)).getAddress().getHostAddress();
  }

  @Test
  void queriesNeverSeeHalfARuleSetWhileRulesReload() throws Exception {
    DnsClient client = new DnsClient(listeners.port());
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Future<?>[] workers = new Future<?>[4];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = pool.submit(() -> {
        while (running.get()) {
          seen.add(answerFor(client));
          answered.incrementAndGet();
        }
        return null;
      });
    }
    for (int v = 2; v <= 6; v++) {
      int version = v;
      write("rules.yaml", version(v));
      Eventually.await("version " + v + " loaded",
          () -> engine.current().all().stream().anyMatch(r -> r.name().equals("local-v" + version)), 5000);
      int before = answered.get();
      Eventually.await("queries answered under version " + v, () -> answered.get() > before + 20, 5000);
    }
    running.set(false);
    for (Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();

    assertTrue(seen.stream().allMatch(a -> a.matches("10\\.0\\.0\\.[1-6]")), "only whole rule sets answered: " + seen);
    assertTrue(DotUpstreamsResource.primary.received().stream()
        .noneMatch(q -> q.getQuestion().getName().toString().startsWith("v")), "nothing half-rewritten was forwarded");
  }

  @Test
  void invalidEditKeepsThePreviousRulesServing() throws Exception {
    DnsClient client = new DnsClient(listeners.port());
    write("rules.yaml", version(7));
    Eventually.await("version 7 loaded", () -> "10.0.0.7".equals(safeAnswer(client)), 5000);

    write("rules.yaml", version(8).replace("action: local", "action: lokal"));
    assertEquals(false, engine.reload(), "the broken file does not load");

    assertEquals("10.0.0.7", answerFor(client));
    write("rules.yaml", version(7));
  }

  @Test
  void reloadAnnouncesThePreviousAndTheNewRules() throws Exception {
    write("rules.yaml", version(10));
    Eventually.await("version 10 loaded", () -> hasRule(engine.current(), "local-v10"), 5000);
    write("rules.yaml", version(11));
    Eventually.await("version 11 announced", () -> replaced.last() != null && hasRule(replaced.last().current(), "local-v11"), 5000);

    assertTrue(hasRule(replaced.last().previous(), "local-v10"), "the event carries the rules replaced");
    write("rules.yaml", version(7));
  }

  private static boolean hasRule(RuleSet rules, String name) {
    return rules.all().stream().anyMatch(r -> r.name().equals(name));
  }

  private String safeAnswer(DnsClient client) {
    try {
      return answerFor(client);
    } catch (Exception e) {
      return null;
    }
  }
}
