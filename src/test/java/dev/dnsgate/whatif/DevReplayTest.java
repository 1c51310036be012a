package dev.dnsgate.whatif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.AnswerSource;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.RulesReplaced;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.testing.Queries;
import dev.dnsgate.wire.QueryContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The dev-mode line after a reload: how many of the last queries seen would now be answered differently. */
class DevReplayTest {

  @TempDir Path dir;

  private RuleSet rules(String name, String yaml) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.writeString(folder.resolve("rules.yaml"), yaml);
    return new OfflineRules(new ListSources(dir.resolve("cache"), Duration.ofDays(1)), Set.of("default"), false).load(folder);
  }

  private static void answer(DevReplay ring, String name) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    QueryContext ctx = Queries.context(query);
    ring.answered(ctx, Answer.of(new Message(), AnswerSource.UPSTREAM, "default", null), 1000);
  }

  @Test
  void countsTheRecentQueriesTheNewRulesAnswerDifferently() throws Exception {
    RuleSet before = rules("before", "rules:\n");
    RuleSet after = rules("after", """
        rules:
          - name: ads
            match: { suffix: ads.test }
            action: block
        """);
    DevReplay ring = new DevReplay(true);
    for (int i = 0; i < 3; i++) {
      answer(ring, "x.ads.test.");
    }
    answer(ring, "www.example.test.");

    assertEquals("rules reloaded: 3 of the last 4 queries seen here would now be answered differently (newly-blocked 3)",
        ring.summary(new RulesReplaced(before, after)));
  }

  @Test
  void keepsOnlyTheLastQueries() throws Exception {
    DevReplay ring = new DevReplay(true);
    for (int i = 0; i < DevReplay.SIZE + 5; i++) {
      answer(ring, "n" + i + ".test.");
    }

    List<RecordedQuery> recent = ring.recent();
    assertEquals(DevReplay.SIZE, recent.size());
    assertEquals(Name.fromString("n5.test."), recent.get(0).name());
    assertEquals(Name.fromString("n" + (DevReplay.SIZE + 4) + ".test."), recent.get(DevReplay.SIZE - 1).name());
  }

  @Test
  void outsideDevModeNothingIsKept() throws Exception {
    DevReplay ring = new DevReplay(false);
    answer(ring, "x.test.");

    assertEquals(List.of(), ring.recent());
  }
}
