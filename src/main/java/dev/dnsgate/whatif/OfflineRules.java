package dev.dnsgate.whatif;

import dev.dnsgate.rules.RuleEnvironment;
import dev.dnsgate.rules.RuleLoader;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.allow.AllowKind;
import dev.dnsgate.rules.block.BlockKind;
import dev.dnsgate.rules.forward.ForwardKind;
import dev.dnsgate.rules.local.LocalKind;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.rules.rewrite.RewriteKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Rule folders loaded outside the server, by the same {@link RuleLoader} and every rule kind, with a
 * throw-away meter registry: no listener, no upstream, no CDI.
 */
public final class OfflineRules {

  private final RuleLoader loader;
  private final ListSources lists;
  private final Set<String> groups;

  /**
   * @param lists where list URLs are cached (as {@code dnsgate.rules.list-cache-dir})
   * @param groups the upstream groups forward rules may name
   */
  public OfflineRules(ListSources lists, Set<String> groups, boolean strictLint) {
    this.loader = new RuleLoader(
        List.of(new RewriteKind(), new AllowKind(), new BlockKind(), new LocalKind(), new ForwardKind()),
        new SimpleMeterRegistry(), strictLint);
    this.lists = lists;
    this.groups = Set.copyOf(groups);
  }

  /** @throws dev.dnsgate.rules.RuleFileException with "file:line: what" when the folder does not load */
  public RuleSet load(Path dir) {
    return loader.load(new RuleEnvironment(dir, lists, groups));
  }
}
