package dev.dnsgate.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One mapping of a rule file (a rule, or its {@code match:} block) with the line of every key, so
 * that every problem can be reported as "file:line: what is wrong".
 */
public final class RuleSpec {

  private final String file;
  private final RuleEnvironment environment;
  private final int line;
  private final Map<String, Node> values = new LinkedHashMap<>();
  private final Map<String, Integer> lines = new LinkedHashMap<>();

  RuleSpec(String file, RuleEnvironment environment, MappingNode node) {
    this.file = file;
    this.environment = environment;
    this.line = lineOf(node);
    for (NodeTuple tuple : node.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        throw new RuleFileException(file + ":" + lineOf(tuple.getKeyNode()), "keys must be plain words");
      }
      if (values.put(key.getValue(), tuple.getValueNode()) != null) {
        throw new RuleFileException(file + ":" + lineOf(key), "'" + key.getValue() + "' is given twice");
      }
      lines.put(key.getValue(), lineOf(key));
    }
  }

  static int lineOf(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  public RuleEnvironment environment() {
    return environment;
  }

  /** "file:line" of this mapping. */
  public String where() {
    return file + ":" + line;
  }

  public String where(String key) {
    return file + ":" + lines.getOrDefault(key, line);
  }

  public RuleFileException error(String key, String what) {
    return new RuleFileException(where(key), what);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public String string(String key) {
    return optionalString(key).orElseThrow(() -> new RuleFileException(where(), "'" + key + "' is required"));
  }

  public Optional<String> optionalString(String key) {
    Node node = values.get(key);
    if (node == null) {
      return Optional.empty();
    }
    if (!(node instanceof ScalarNode scalar)) {
      throw error(key, "'" + key + "' must be a single value");
    }
    return Optional.of(scalar.getValue());
  }

  /** A single value or a list of values. */
  public List<String> strings(String key) {
    Node node = values.get(key);
    List<String> result = new ArrayList<>();
    if (node == null) {
      return result;
    }
    if (node instanceof ScalarNode scalar) {
      result.add(scalar.getValue());
    } else if (node instanceof SequenceNode sequence) {
      for (Node item : sequence.getValue()) {
        if (!(item instanceof ScalarNode scalar)) {
          throw new RuleFileException(file + ":" + lineOf(item), "'" + key + "' items must be single values");
        }
        result.add(scalar.getValue());
      }
    } else {
      throw error(key, "'" + key + "' must be a value or a list of values");
    }
    return result;
  }

  public boolean bool(String key, boolean otherwise) {
    return optionalString(key)
        .map(
            v -> switch (v.toLowerCase()) {
              case "true", "yes", "on" -> true;
              case "false", "no", "off" -> false;
              default -> throw error(key, "'" + key + "' must be true or false, not '" + v + "'");
            })
        .orElse(otherwise);
  }

  /** A nested mapping, such as {@code match:}. */
  public Optional<RuleSpec> mapping(String key) {
    Node node = values.get(key);
    if (node == null) {
      return Optional.empty();
    }
    if (!(node instanceof MappingNode mapping)) {
      throw error(key, "'" + key + "' must be a mapping of keys to values");
    }
    return Optional.of(new RuleSpec(file, environment, mapping));
  }

  /** A file named by {@code key}, relative to the rules folder unless absolute. */
  public Path path(String key) {
    return environment.resolve(string(key));
  }

  public void rejectUnknown(Set<String> known, String what) {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw error(key, "unknown key '" + key + "' in " + what + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }
}
