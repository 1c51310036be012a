package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.rules.testcases.RuleTestCase;
import dev.dnsgate.rules.testcases.RuleTestCases;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the rule test cases written next to the rules (rules/tests/*.yaml) against the rules in
 * rules/: each case is one JUnit test, in the normal test command and in continuous testing.
 */
@QuarkusTest
class RuleTestCasesTest {

  static final Path RULES = Path.of("rules");

  @Inject RuleLoader loader;

  @TestFactory
  Stream<DynamicTest> ruleTestCases() throws IOException {
    RuleSet rules = loader.load(new RuleEnvironment(RULES,
        new ListSources(Files.createTempDirectory("lists"), Duration.ofDays(1)),
        Set.of(DnsgateConfig.Upstream.DEFAULT_GROUP)));
    List<RuleTestCase> cases = RuleTestCases.read(RULES);
    assertFalse(cases.isEmpty(), "rules/tests holds test cases");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> {
      List<String> problems = RuleTestCases.check(rules, c);
      assertTrue(problems.isEmpty(), String.join("; ", problems));
    }));
  }
}
