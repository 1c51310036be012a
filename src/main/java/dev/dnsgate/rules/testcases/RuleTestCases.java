package dev.dnsgate.rules.testcases;

import dev.dnsgate.rules.BlockingPause;
import dev.dnsgate.rules.Explanation;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.wire.ClientName;
import dev.dnsgate.wire.DomainName;
import dev.dnsgate.wire.IpLiteral;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads {@code tests/*.yaml} of a rules folder and runs each case through a rule set (nothing is
 * forwarded). A case passes when every expectation holds; a case with no expectation, an unknown
 * expectation key or an unreadable query fails rather than passing by saying nothing.
 */
public final class RuleTestCases {

  public static final Set<String> EXPECT_KEYS = Set.of("action", "rule", "rcode", "answers", "group", "ede", "owner");

  /** The outcome of one case: no problems means it passed. */
  public record Result(RuleTestCase testCase, List<String> problems) {
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  private RuleTestCases() {}

  /** The cases of every {@code *.yaml} file in {@code rulesDir/tests}, in file-name order; none when it is missing. */
  public static List<RuleTestCase> read(Path rulesDir) throws IOException {
    Path dir = rulesDir.resolve("tests");
    List<RuleTestCase> cases = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return cases;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(f -> f.getFileName().toString().matches("[^.].*\\.ya?ml")).sorted().toList();
    }
    for (Path file : files) {
      cases.addAll(casesOf(file));
    }
    return cases;
  }

  @SuppressWarnings("unchecked")
  private static List<RuleTestCase> casesOf(Path file) throws IOException {
    Object doc;
    try (Reader reader = Files.newBufferedReader(file)) {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a tests file: " + e.getMessage().replaceAll("\\s+", " "), e);
    }
    if (doc == null) {
      return List.of();
    }
    if (!(doc instanceof Map<?, ?> top) || !(top.get("tests") instanceof List<?> list)) {
      throw new IOException(file + ": expected 'tests:' followed by a list of cases");
    }
    List<RuleTestCase> cases = new ArrayList<>();
    for (Object item : list) {
      Map<String, Object> c = item instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      String name = c.get("name") == null ? "case " + (cases.size() + 1) : String.valueOf(c.get("name"));
      cases.add(new RuleTestCase(file.toString(), name, mapping(c.get("query")), mapping(c.get("expect")),
          c.get("paused")));
    }
    return cases;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> mapping(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  public static List<Result> run(RuleSet rules, List<RuleTestCase> cases) {
    return cases.stream().map(c -> new Result(c, check(rules, c))).toList();
  }

  /** What is wrong with one case's outcome; empty when it passed. */
  public static List<String> check(RuleSet rules, RuleTestCase testCase) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> expect = testCase.expect();
    if (testCase.query() == null || testCase.query().get("name") == null) {
      return List.of("'query:' with a name is required, e.g. query: { name: www.example, type: A }");
    }
    if (expect == null || expect.isEmpty()) {
      return List.of("'expect:' names no expectation, so the case could never fail (keys: " + new TreeSet<>(EXPECT_KEYS) + ")");
    }
    Set<String> unknown = new TreeSet<>(expect.keySet());
    unknown.removeAll(EXPECT_KEYS);
    if (!unknown.isEmpty()) {
      return List.of("unknown expect keys " + unknown + " (keys: " + new TreeSet<>(EXPECT_KEYS) + ")");
    }
    Explanation e;
    try {
      e = explain(paused(rules, testCase.paused()), testCase.query());
    } catch (IllegalArgumentException bad) {
      return List.of("bad query: " + bad.getMessage());
    }
    same(problems, "action", expect, e.action(), " (rules checked: " + steps(e) + ")");
    same(problems, "rule", expect, e.rule(), "");
    same(problems, "group", expect, e.group(), "");
    same(problems, "rcode", expect, e.rcode(), "");
    if (expect.containsKey("ede") && !String.valueOf(expect.get("ede")).equals(String.valueOf(e.ede()))) {
      problems.add("ede: expected " + expect.get("ede") + ", got " + e.ede());
    }
    if (expect.containsKey("answers")) {
      Set<String> expected = new TreeSet<>();
      if (expect.get("answers") instanceof List<?> list) {
        list.forEach(a -> expected.add(String.valueOf(a)));
      }
      Set<String> rdata = new TreeSet<>();
      e.answers().forEach(line -> rdata.add(line.substring(line.lastIndexOf('\t') + 1)));
      if (!expected.equals(rdata)) {
        problems.add("answers: expected " + expected + ", got " + rdata + " from " + e.answers());
      }
    }
    if (expect.containsKey("owner")) {
      Name owner = DomainName.parse(String.valueOf(expect.get("owner")));
      if (e.answers().isEmpty() || !e.answers().get(0).startsWith(owner + "\t")) {
        problems.add("owner: expected the answer to start at " + owner + ", got " + e.answers());
      }
    }
    return problems;
  }

  /** The rules as a case with {@code paused:} sees them: the named block rules (or all) paused. */
  private static RuleSet paused(RuleSet rules, Object paused) {
    if (paused == null) {
      return rules;
    }
    List<String> names = new ArrayList<>();
    if (paused instanceof List<?> list) {
      list.forEach(n -> names.add(String.valueOf(n)));
    } else if (!"all".equals(String.valueOf(paused))) {
      throw new IllegalArgumentException("paused: is 'all' or a list of rule names, not '" + paused + "'");
    }
    BlockingPause pause = new BlockingPause();
    pause.pause(names, null); // no names: every block rule; no duration: until resumed
    return rules.pausedBy(pause);
  }

  /** "legacy-api (rewrite): no match, ads (block): answered". */
  private static String steps(Explanation e) {
    return e.checked().stream().map(s -> s.rule() + " (" + s.kind() + "): " + s.result()).collect(Collectors.joining(", "));
  }

  private static void same(List<String> problems, String key, Map<String, Object> expect, String actual, String context) {
    if (expect.containsKey(key) && !Objects.equals(String.valueOf(expect.get(key)), String.valueOf(actual))) {
      problems.add(key + ": expected " + expect.get(key) + ", got " + actual + context);
    }
  }

  private static Explanation explain(RuleSet rules, Map<String, Object> query) {
    Name name = DomainName.parse(String.valueOf(query.get("name")));
    String typeText = String.valueOf(query.getOrDefault("type", "A"));
    int type = Type.value(typeText.toUpperCase());
    if (type < 0) {
      throw new IllegalArgumentException("'" + typeText + "' is not a DNS type");
    }
    Object client = query.get("client");
    InetAddress address = client == null ? null : IpLiteral.parse(String.valueOf(client))
        .orElseThrow(() -> new IllegalArgumentException("client '" + client + "' is not an IP address"));
    Object nameGiven = query.get("client-name");
    String clientName = nameGiven == null ? null : ClientName.valid(String.valueOf(nameGiven));
    if (nameGiven != null && clientName == null) {
      throw new IllegalArgumentException("client-name '" + nameGiven + "' is not a client name (1-63 letters, digits, inner hyphens)");
    }
    return Explanation.of(rules, name, type, address, clientName);
  }
}
