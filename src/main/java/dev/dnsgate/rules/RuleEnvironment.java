package dev.dnsgate.rules;

import dev.dnsgate.rules.match.ListSources;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What rule kinds may use while building: where relative paths start, how block lists are fetched,
 * and which upstream groups exist (so a typo in a group name fails at load, not at query time). It
 * also notes every file a rule names, so that a change to any of them triggers a reload.
 */
public final class RuleEnvironment {

  private final Path rulesDir;
  private final ListSources lists;
  private final Set<String> upstreamGroups;
  private final Set<Path> inputs = new HashSet<>();

  public RuleEnvironment(Path rulesDir, ListSources lists, Set<String> upstreamGroups) {
    this.rulesDir = rulesDir;
    this.lists = lists;
    this.upstreamGroups = Set.copyOf(upstreamGroups);
  }

  /** A path from a rule file, relative to the rules folder unless absolute; noted as an input. */
  public Path resolve(String path) {
    Path p = Path.of(path);
    Path resolved = p.isAbsolute() ? p : rulesDir.resolve(p);
    inputs.add(resolved);
    return resolved;
  }

  public Path rulesDir() {
    return rulesDir;
  }

  public ListSources lists() {
    return lists;
  }

  public Set<String> upstreamGroups() {
    return upstreamGroups;
  }

  Set<Path> inputs() {
    return inputs;
  }
}
