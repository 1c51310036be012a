package dev.dnsgate.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.testing.RuleKinds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Rule files in, rule sets or "file:line: what" errors out; matchers decided table by table. */
class RuleLoaderTest {

  @TempDir Path dir;

  static RuleLoader loader() {
    return new RuleLoader(RuleKinds.all(), new SimpleMeterRegistry());
  }

  @Test
  void everyRuleKindOfTheBuildIsFoundWithoutAList() {
    Set<String> names = RuleKinds.all().stream().map(RuleKind::name).collect(Collectors.toSet());

    assertTrue(names.containsAll(Set.of("rewrite", "allow", "block", "local", "forward", "rpz")), names.toString());
  }

  RuleSet load(String yaml) throws Exception {
    Files.writeString(dir.resolve("rules.yaml"), yaml);
    return loader().load(environment());
  }

  RuleEnvironment environment() {
    return new RuleEnvironment(dir, new ListSources(dir.resolve("cache"), Duration.ofDays(1)), Set.of("default", "corp"));
  }

  String error(String yaml) {
    return assertThrows(RuleFileException.class, () -> load(yaml)).getMessage();
  }

  @org.junit.jupiter.api.Test
  void controlCharactersAndNonUtf8BytesNameTheirLine() throws Exception {
    byte[] latin1 = "rules:\n  - name: caf\u00e9\n    action: block\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(dir.resolve("rules.yaml"), latin1);
    String notUtf8 = assertThrows(RuleFileException.class, () -> loader().load(environment())).getMessage();
    String control = error("rules:\n  - name: a\n    action: block\n\u0017");

    assertTrue(notUtf8.endsWith("rules.yaml:2: not UTF-8 text (byte 20)"), notUtf8);
    assertTrue(control.endsWith("rules.yaml:4: character U+0017 is not allowed in YAML"), control);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      unknown action         | rules:\\n  - name: a\\n    action: blok                          | rules.yaml:3: unknown action 'blok'
      missing name           | rules:\\n  - action: block                                       | rules.yaml:2: 'name' is required
      unknown key            | rules:\\n  - name: a\\n    action: block\\n    respons: nodata     | rules.yaml:4: unknown key 'respons'
      unknown match key      | rules:\\n  - name: a\\n    action: block\\n    match: {nam: x}    | rules.yaml:4: unknown key 'nam' in match
      bad response           | rules:\\n  - name: a\\n    action: block\\n    response: maybe     | rules.yaml:4: response must be
      bad regex              | rules:\\n  - name: a\\n    action: block\\n    match:\\n      regex: '('  | rules.yaml:5: bad regular expression
      bad type               | rules:\\n  - name: a\\n    action: block\\n    match: {types: [AA]} | rules.yaml:4: 'AA' is not a DNS type
      bad network            | rules:\\n  - name: a\\n    action: block\\n    match: {clients: [10.0.0.0/40]} | rules.yaml:4: '10.0.0.0/40': prefix length
      duplicate name         | rules:\\n  - name: a\\n    action: allow\\n  - name: a\\n    action: allow | rules.yaml:4: rule name 'a' is already used at
      unknown group          | rules:\\n  - name: a\\n    action: forward\\n    upstream: nope    | rules.yaml:4: no upstream group 'nope'
      missing list           | rules:\\n  - name: a\\n    action: block\\n    match: {list: gone.txt} | rules.yaml:4: cannot read list 'gone.txt'
      bad zone line          | rules:\\n  - name: a\\n    action: local\\n    records: ['www IN A 300.1.1.1'] | rules.yaml:4: 'www IN A 300.1.1.1'
      yaml syntax            | rules:\\n  - name: [a\\n                                         | rules.yaml:3: YAML syntax
      not a list             | rules: 5                                                          | rules.yaml:1: 'rules' must be a list
      group not in regex     | rules:\\n  - name: a\\n    action: rewrite\\n    regex: '(a)'\\n    to: 'x$2' | rules.yaml:5: 'x$2': '$' must be followed by a group number from 0 to 1
      dollar at the end      | rules:\\n  - name: a\\n    action: rewrite\\n    regex: 'a'\\n    to: 'x$' | rules.yaml:5: 'x$': '$' must be followed
      two rewrite forms      | rules:\\n  - name: a\\n    action: rewrite\\n    exact: x\\n    suffix: y\\n    to: z | rules.yaml:2: a rewrite needs exactly one
      """)
  void badFilesGiveOneLineNamingFileLineAndKey(String what, String yaml, String expected) {
    String message = error(yaml.replace("\\n", "\n"));
    String relative = message.substring(message.indexOf("rules.yaml"));
    assertTrue(relative.startsWith(expected), what + ": got '" + message + "'");
  }

  @ParameterizedTest(name = "{0} {1} from {2}: {3}")
  @CsvSource({
    "a.example, A, 10.0.0.1, exact",
    "A.EXAMPLE, A, 10.0.0.1, exact",
    "x.a.example, A, 10.0.0.1, suffix",
    "xa.example, A, 10.0.0.1, forward",
    "ads7.example, A, 10.0.0.1, wildcard-in-label",
    "y.z.wild.example, A, 10.0.0.1, wildcard-labels",
    "wild.example, A, 10.0.0.1, forward",
    "n42.regex.example, A, 10.0.0.1, regex",
    "nx.regex.example, A, 10.0.0.1, forward",
    "t.types.example, TXT, 10.0.0.1, types",
    "t.types.example, A, 10.0.0.1, forward",
    "c.clients.example, A, 192.168.0.9, clients",
    "c.clients.example, A, 10.0.0.1, forward",
    "xn--bcher-kva.idn.example, A, 10.0.0.1, idn"
  })
  void matchersDecideTableByTable(String name, String type, String client, String expectedRule) throws Exception {
    RuleSet rules = load("""
        rules:
          - {name: exact, action: block, match: {name: a.example}}
          - {name: suffix, action: block, match: {suffix: [a.example, other.example]}}
          - {name: wildcard-in-label, action: block, match: {wildcard: "ads*.example"}}
          - {name: wildcard-labels, action: block, match: {wildcard: "*.wild.example"}}
          - {name: regex, action: block, match: {regex: '^n[0-9]+\\.regex\\.example$'}}
          - {name: types, action: block, match: {suffix: types.example, types: [TXT, MX]}}
          - {name: clients, action: block, match: {suffix: clients.example, clients: [192.168.0.0/16]}}
          - {name: idn, action: block, match: {name: bücher.idn.example}}
        """);
    Explanation e = Explanation.of(rules, Name.fromString(name, Name.root), Type.value(type), InetAddress.getByName(client));
    assertEquals(expectedRule, e.rule() == null ? "forward" : e.rule());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "api.corp.internal, api.svc.cluster.local.",
    "x.api.corp.internal, x.api.svc.cluster.local.",
    "user-7.legacy.example, user7.new.example.",
    "www.example, www.example."
  })
  void rewritesExactSuffixAndRegexWithCaptureGroups(String asked, String resolved) throws Exception {
    RuleSet rules = load("""
        rules:
          - {name: sfx, action: rewrite, suffix: corp.internal, to: svc.cluster.local}
          - {name: re, action: rewrite, regex: '^user-([0-9]+)\\.legacy\\.example$', to: 'user$1.new.example'}
        """);
    Explanation e = Explanation.of(rules, Name.fromString(asked, Name.root), Type.A, null);
    assertEquals(resolved, e.resolvedName());
  }

  @org.junit.jupiter.api.Test
  void emptyFolderAndEmptyFileHoldNoRules() throws Exception {
    assertEquals(0, load("").size());
    assertEquals(0, load("rules:\n").size());
  }

  @Test
  void clientNamesMatchExactlyOrByPatternAndNeverWithoutAName() throws Exception {
    RuleSet rules = load("rules:\n  - name: kids\n    match:\n      client-names: [laptop, Kids-*]\n    action: block\n");
    Name name = Name.fromString("x.example.");

    assertEquals("block", Explanation.of(rules, name, Type.A, null, "laptop").action());
    assertEquals("block", Explanation.of(rules, name, Type.A, null, "kids-tablet").action());
    assertEquals("forward", Explanation.of(rules, name, Type.A, null, "laptop2").action());
    assertEquals("forward", Explanation.of(rules, name, Type.A, null, "my-kids-tablet").action());
    assertEquals("forward", Explanation.of(rules, name, Type.A, InetAddress.getLoopbackAddress(), null).action());
  }

  @Test
  void aClientNameThatNoClientCouldSendIsAnErrorNamingTheLine() {
    String message = error("rules:\n  - name: kids\n    match:\n      client-names: [\"kids.tablet\"]\n    action: block\n");

    assertTrue(message.contains("rules.yaml:4") && message.contains("'kids.tablet' is not a client name"), message);
  }
}
