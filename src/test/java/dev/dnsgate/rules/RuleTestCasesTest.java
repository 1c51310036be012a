package dev.dnsgate.rules;

import dev.dnsgate.config.DnsgateConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.yaml.snakeyaml.Yaml;

/**
 * Runs the rule test cases written next to the rules (rules/tests/*.yaml) against the rules in
 * rules/: each case is one JUnit test, in the normal test command and in continuous testing.
 */
@QuarkusTest
class RuleTestCasesTest {

  static final Path RULES = Path.of("rules");
  private static final Set<String> EXPECT_KEYS = Set.of("action", "rule", "rcode", "answers", "group", "ede", "owner");

  @Inject RuleLoader loader;

  @TestFactory
  Stream<DynamicTest> ruleTestCases() throws IOException {
    RuleSet rules = loader.load(new RuleEnvironment(RULES,
        new dev.dnsgate.rules.match.ListSources(Files.createTempDirectory("lists"), Duration.ofDays(1)),
        Set.of(DnsgateConfig.Upstream.DEFAULT_GROUP)));
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(RULES.resolve("tests"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        for (Map<String, Object> testCase : cases(file)) {
          tests.add(DynamicTest.dynamicTest(file.getFileName() + ": " + testCase.get("name"), () -> check(rules, testCase)));
        }
      }
    }
    assertTrue(!tests.isEmpty(), "rules/tests holds test cases");
    return tests.stream();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> doc = new Yaml().load(reader);
      return (List<Map<String, Object>>) doc.get("tests");
    }
  }

  /** A client name as the listeners would pass it: validated, lower case. */
  private static String clientName(Object text) {
    if (text == null) {
      return null;
    }
    String name = dev.dnsgate.wire.ClientName.valid(String.valueOf(text));
    assertTrue(name != null, "'" + text + "' is a valid client name");
    return name;
  }

  @SuppressWarnings("unchecked")
  private static void check(RuleSet rules, Map<String, Object> testCase) throws Exception {
    Map<String, Object> query = (Map<String, Object>) testCase.get("query");
    Map<String, Object> expect = (Map<String, Object>) testCase.get("expect");
    assertTrue(EXPECT_KEYS.containsAll(expect.keySet()), "expect keys are among " + EXPECT_KEYS);
    Object client = query.get("client");
    Explanation e = Explanation.of(rules,
        Name.fromString(String.valueOf(query.get("name")), Name.root),
        Type.value(String.valueOf(query.getOrDefault("type", "A"))),
        client == null ? null : InetAddress.getByName(String.valueOf(client)),
        clientName(query.get("client-name")));
    if (expect.containsKey("action")) {
      assertEquals(expect.get("action"), e.action(), "action; rules checked: " + e.checked());
    }
    if (expect.containsKey("rule")) {
      assertEquals(expect.get("rule"), e.rule(), "deciding rule");
    }
    if (expect.containsKey("group")) {
      assertEquals(expect.get("group"), e.group(), "upstream group");
    }
    if (expect.containsKey("rcode")) {
      assertEquals(expect.get("rcode"), e.rcode(), "rcode");
    }
    if (expect.containsKey("ede")) {
      assertEquals(((Number) expect.get("ede")).intValue(), e.ede(), "extended DNS error");
    }
    if (expect.containsKey("answers")) {
      List<String> rdata = e.answers().stream().map(line -> line.substring(line.lastIndexOf('\t') + 1)).toList();
      assertEquals(Set.copyOf((List<String>) expect.get("answers")), Set.copyOf(rdata), "answer data: " + e.answers());
    }
    if (expect.containsKey("owner")) {
      Name owner = Name.fromString(String.valueOf(expect.get("owner")), Name.root);
      assertTrue(!e.answers().isEmpty() && e.answers().get(0).startsWith(owner + "\t"),
          "the answer starts at " + owner + ": " + e.answers());
    }
  }
}
