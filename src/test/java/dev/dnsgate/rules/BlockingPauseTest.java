package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Pausing block rules: all or by name, timed or until resumed, on a clock the test moves. */
class BlockingPauseTest {

  static final String RULES = """
      rules:
        - name: ads
          match: { name: [ads.example] }
          action: block
        - name: trackers
          match: { name: [track.example] }
          action: block
      """;

  @TempDir java.nio.file.Path dir;

  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-30T08:00:00Z"));
  final BlockingPause pause = new BlockingPause(now::get);

  RuleSet load() throws Exception {
    Files.writeString(dir.resolve("rules.yaml"), RULES);
    return RuleLoaderTest.loader().load(new RuleEnvironment(dir,
        new dev.dnsgate.rules.match.ListSources(dir.resolve("cache"), Duration.ofDays(1)), Set.of("default"))).pausedBy(pause);
  }

  static String decision(RuleSet rules, String name) throws Exception {
    Verdict v = rules.evaluate(new RuleQuery(Name.fromString(name), Type.A, DClass.IN, null), null);
    return v.rule() == null ? "forward" : v.rule().name();
  }

  void advance(Duration d) {
    now.set(now.get().plus(d));
  }

  @Test
  void timedPauseOfAllRulesEndsByItselfEvenAfterAReload() throws Exception {
    RuleSet rules = load();
    pause.pause(List.of(), Duration.ofMinutes(5));

    assertEquals("forward", decision(rules, "ads.example."));
    assertEquals("forward", decision(rules, "track.example."));
    advance(Duration.ofMinutes(4));
    RuleSet reloaded = load();
    assertEquals("forward", decision(reloaded, "ads.example."), "a reload does not end the pause");
    advance(Duration.ofMinutes(1));
    assertEquals("ads", decision(reloaded, "ads.example."), "nor keep it past its end");
    assertTrue(pause.status().isEmpty());
  }

  @Test
  void namedPauseLeavesTheOtherRulesBlocking() throws Exception {
    RuleSet rules = load();
    pause.pause(List.of("trackers"), Duration.ofMinutes(1));

    assertEquals("ads", decision(rules, "ads.example."));
    assertEquals("forward", decision(rules, "track.example."));
    assertEquals("trackers", pause.status().get(0).rule());
    assertEquals(now.get().plusSeconds(60), pause.status().get(0).until());
  }

  @Test
  void untilResumedLastsUntilResumed() throws Exception {
    RuleSet rules = load();
    pause.pause(List.of(), null);
    advance(Duration.ofDays(300));

    assertEquals("forward", decision(rules, "ads.example."));
    assertNull(pause.status().get(0).until());
    pause.resume(List.of());
    assertEquals("ads", decision(rules, "ads.example."));
  }

  @Test
  void explainShowsThePausedRule() throws Exception {
    RuleSet rules = load();
    pause.pause(List.of("ads"), Duration.ofMinutes(1));

    Explanation e = Explanation.of(rules, Name.fromString("ads.example."), Type.A, null);

    assertEquals("forward", e.action());
    assertTrue(e.checked().stream().anyMatch(s -> s.rule().equals("ads") && s.result().equals("matched, blocking paused")),
        e.checked().toString());
  }
}
