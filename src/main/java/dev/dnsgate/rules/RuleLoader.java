package dev.dnsgate.rules;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.rules.lint.LintFinding;
import dev.dnsgate.rules.lint.RuleLint;
import dev.dnsgate.rules.match.Criteria;
import dev.dnsgate.rules.match.Matcher;
import dev.dnsgate.rules.match.Matchers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads every {@code *.yaml} file of the rules folder (in file-name order; {@code tests/} and other
 * sub-folders are not rules) into one complete {@link RuleSet}, or fails with "file:line: what".
 * Rule kinds are the {@link RuleKind} beans, found by CDI.
 */
@ApplicationScoped
public class RuleLoader {

  /** Keys every rule may have, whatever its kind. */
  static final Set<String> COMMON_KEYS = Set.of("name", "action", "match", "comment");

  private static final Logger LOG = Logger.getLogger(RuleLoader.class);

  private final Map<String, RuleKind> kinds = new TreeMap<>();
  private final MeterRegistry registry;
  private final boolean strictLint;

  @Inject
  public RuleLoader(Instance<RuleKind> kinds, MeterRegistry registry, DnsgateConfig config) {
    this(kinds, registry, config.rules().lint().strict());
  }

  /** Without CDI (unit tests): the given kinds only, lint warnings not errors. */
  RuleLoader(Iterable<RuleKind> kinds, MeterRegistry registry) {
    this(kinds, registry, false);
  }

  /**
   * Without CDI (the what-if command, tests): the given kinds only.
   *
   * @param strictLint whether a lint warning fails the load, as {@code dnsgate.rules.lint.strict} does
   */
  public RuleLoader(Iterable<RuleKind> kinds, MeterRegistry registry, boolean strictLint) {
    kinds.forEach(k -> this.kinds.put(k.name(), k));
    this.registry = registry;
    this.strictLint = strictLint;
  }

  public RuleSet load(RuleEnvironment environment) {
    List<Rule> rules = new ArrayList<>();
    Set<Path> inputs = new HashSet<>();
    Map<String, String> names = new HashMap<>();
    for (Path file : ruleFiles(environment.rulesDir())) {
      inputs.add(file);
      for (RuleSpec spec : specs(file, environment)) {
        Rule rule = build(spec);
        String earlier = names.putIfAbsent(rule.name(), rule.source());
        if (earlier != null) {
          throw spec.error("name", "rule name '" + rule.name() + "' is already used at " + earlier);
        }
        rules.add(rule);
      }
    }
    inputs.addAll(environment.inputs());
    return lint(RuleSet.of(rules, inputs));
  }

  /**
   * Logs every lint finding as a warning and keeps the lines with the rule set; with a strict lint
   * the first one fails the load instead, as any other rule-file error does.
   */
  private RuleSet lint(RuleSet set) {
    List<LintFinding> findings = RuleLint.check(set);
    findings.forEach(f -> LOG.warn(f.line()));
    if (strictLint && !findings.isEmpty()) {
      LintFinding first = findings.get(0);
      String more = findings.size() > 1 ? "; " + (findings.size() - 1) + " more warnings logged" : "";
      throw new RuleFileException(first.where(), "warning: " + first.message()
          + " (an error with dnsgate.rules.lint.strict" + more + ")");
    }
    return set.withWarnings(findings.stream().map(LintFinding::line).toList());
  }

  /** Tells every kind that the last {@link #load} was applied, or thrown away. */
  public void loadFinished(boolean applied) {
    kinds.values().forEach(k -> k.loadFinished(applied));
  }

  /** The rule files of a folder; a missing folder holds no rules. */
  public static List<Path> ruleFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches("[^.].*\\.ya?ml"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new RuleFileException(dir.toString(), "cannot list rule files: " + e.getMessage());
    }
  }

  private Rule build(RuleSpec spec) {
    String name = spec.string("name");
    String action = spec.string("action");
    RuleKind kind = kinds.get(action);
    if (kind == null) {
      throw spec.error("action", "unknown action '" + action + "' (known: " + String.join(", ", kinds.keySet()) + ")");
    }
    Set<String> known = new HashSet<>(COMMON_KEYS);
    known.addAll(kind.keys());
    spec.rejectUnknown(known, "a " + action + " rule");
    Matcher matcher = spec.mapping("match").<Matcher>map(Matchers::from).orElse(Criteria.EVERYTHING);
    RuleAction ruleAction = kind.build(spec);
    Counter hits = Counter.builder("dnsgate.rule.hits")
        .description("Queries a rule answered, forwarded or changed")
        .tag("rule", name).tag("action", action)
        .register(registry);
    return new Rule(name, action, kind.phase(), matcher, ruleAction, spec.where(), hits);
  }

  private static List<RuleSpec> specs(Path file, RuleEnvironment environment) {
    Node root = RuleFileYaml.compose(file);
    List<RuleSpec> specs = new ArrayList<>();
    if (root == null) {
      return specs; // an empty file holds no rules
    }
    if (!(root instanceof MappingNode top)) {
      throw new RuleFileException(file + ":" + RuleSpec.lineOf(root), "expected 'rules:' followed by a list of rules");
    }
    for (NodeTuple entry : top.getValue()) {
      String key = entry.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
      if (!key.equals("rules")) {
        throw new RuleFileException(file + ":" + RuleSpec.lineOf(entry.getKeyNode()),
            "unknown top-level key '" + key + "' (a rule file holds 'rules:')");
      }
      if (entry.getValueNode() instanceof ScalarNode s && s.getValue().isEmpty()) {
        continue; // "rules:" with nothing under it
      }
      if (!(entry.getValueNode() instanceof SequenceNode list)) {
        throw new RuleFileException(file + ":" + RuleSpec.lineOf(entry.getValueNode()), "'rules' must be a list");
      }
      for (Node item : list.getValue()) {
        if (!(item instanceof MappingNode rule)) {
          throw new RuleFileException(file + ":" + RuleSpec.lineOf(item), "each rule must be a mapping (name:, action:, ...)");
        }
        specs.add(new RuleSpec(file.toString(), environment, rule));
      }
    }
    return specs;
  }
}
