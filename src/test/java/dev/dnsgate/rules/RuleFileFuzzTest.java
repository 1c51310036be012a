package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.wire.Decoded;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.QueryDecoder;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Coverage-guided fuzzing of rule files (Jazzer): whatever bytes a rules file holds, loading it
 * gives a rule set that evaluates queries, or one line naming the file and line; never another
 * exception, which would take the reload thread down instead of keeping the running rules. The
 * normal test command replays the inputs under
 * src/test/resources/dev/dnsgate/rules/RuleFileFuzzTestInputs (the shipped rules and odd files);
 * {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=RuleFileFuzzTest} fuzzes.
 */
class RuleFileFuzzTest {

  /** A rules folder with the shipped lists and zones beside the fuzzed file, so references resolve. */
  private static final Path DIR = rulesDir();
  private static final Path FILE = DIR.resolve("fuzzed.yaml");
  private static final RuleLoader LOADER = RuleLoaderTest.loader();
  private static final RuleEnvironment ENVIRONMENT =
      new RuleEnvironment(DIR, new ListSources(DIR.resolve("cache"), Duration.ofDays(1)), Set.of("default", "corp"));

  @FuzzTest(maxDuration = "60s")
  void anyRuleFileLoadsOrFailsWithOneLineNamingTheFile(byte[] content) throws Exception {
    String text = new String(content, StandardCharsets.UTF_8);
    if (text.contains("://") || text.contains("/dev") || text.contains("/proc") || text.contains("/sys")) {
      return; // downloads and endless device files are out of scope: the fuzzer stays offline and finite
    }
    Files.write(FILE, content);
    RuleSet rules;
    try {
      rules = LOADER.load(ENVIRONMENT);
    } catch (RuleFileException e) {
      String message = e.getMessage();
      assertTrue(message.startsWith(FILE.toString()), "names the file: " + message);
      assertFalse(message.contains("\n"), "one line: " + message);
      return;
    }
    for (String name : new String[] {"www.corp.test.", "ads.example.", "a.b.c.d.e.f.", "1.0.0.127.in-addr.arpa."}) {
      for (int type : new int[] {Type.A, Type.AAAA, Type.PTR, Type.ANY}) {
        rules.evaluate(new RuleQuery(Name.fromString(name), type, DClass.IN, InetAddress.getLoopbackAddress()), null);
      }
    }
  }

  private static final ResponseShaper SHAPER = new ResponseShaper(1232);
  private static final QueryDecoder DECODER = new QueryDecoder(1232, SHAPER);
  /** The rules this repository ships (split horizon, blocking, rewrite), loaded once. */
  private static final RuleSet SHIPPED = RuleLoaderTest.loader().load(
      new RuleEnvironment(Path.of("rules"), new ListSources(DIR.resolve("cache"), Duration.ofDays(1)), Set.of("default")));

  /**
   * Any packet through decode, the shipped rules and shaping: a rule's answer fits the client's
   * limit and carries its ID; anything else is forwarded to a group that exists. Seeded with the
   * malformed packets of QueryPathFuzzTest and queries for the names the shipped rules act on.
   */
  @FuzzTest(maxDuration = "60s")
  void anyPacketThroughTheShippedRulesIsAnsweredOrForwarded(byte[] packet) throws Exception {
    if (!(DECODER.decode(packet, Transport.UDP, InetAddress.getLoopbackAddress()) instanceof Decoded.Query query)) {
      return; // dropped or answered with an error before the rules: QueryPathFuzzTest's part
    }
    QueryContext ctx = query.context();
    Record question = ctx.question();
    RuleQuery asked = new RuleQuery(question.getName(), question.getType(), question.getDClass(), ctx.client());
    Verdict verdict = SHIPPED.evaluate(asked, null);
    if (verdict.outcome() instanceof Outcome.Answer answer) {
      byte[] wire = SHAPER.shape(asked.revert(answer.message().clone()), ctx, answer.ede());
      assertTrue(wire.length <= ctx.answerLimit(), "fits the client's limit");
      assertEquals(ctx.id(), new Message(wire).getHeader().getID());
    } else {
      assertEquals("default", ((Outcome.Forward) verdict.outcome()).group());
    }
  }

  private static Path rulesDir() {
    try {
      Path dir = Files.createTempDirectory("rule-fuzz");
      for (String sub : new String[] {"lists", "zones"}) {
        Files.createDirectories(dir.resolve(sub));
        try (Stream<Path> files = Files.list(Path.of("rules", sub))) {
          for (Path f : files.toList()) {
            Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
          }
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
