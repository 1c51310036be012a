package dev.dnsgate.rules;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.rules.match.ListSources;
import jakarta.enterprise.event.Event;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Holds the rule set that queries use and keeps it current. Queries read one immutable snapshot per
 * query; a reload builds a complete new set on the watcher thread (never an event loop) and swaps
 * the reference only if the whole set loaded, so a bad edit leaves the previous rules serving. At
 * start-up a bad rule file stops the process with the same "file:line: what" line.
 *
 * <p>Changes are found by polling (path, real path, size, modification time) of every input: this
 * also catches Kubernetes ConfigMap updates, which swap a symlink rather than write the files.
 */
// @Singleton, not @ApplicationScoped: called on every query, and a client proxy looks the instance
// up in its context on each call (~5 % of forward-path samples across the per-query beans).
@Singleton
public class LiveRules {

  private static final Logger LOG = Logger.getLogger(LiveRules.class);

  private final RuleLoader loader;
  private final DnsgateConfig.Rules config;
  private volatile Set<String> upstreamGroups = Set.of();
  private final ListSources lists;
  private final BlockingPause pause;
  private final AtomicReference<RuleSet> current;
  private ScheduledExecutorService watcher;
  private volatile String fingerprint = "";
  private volatile long listsLoadedAt;
  private volatile boolean loaded;

  private final Event<RulesReplaced> replaced;

  public LiveRules(RuleLoader loader, DnsgateConfig config, Event<RulesReplaced> replaced, BlockingPause pause) {
    this.loader = loader;
    this.replaced = replaced;
    this.pause = pause;
    this.current = new AtomicReference<>(RuleSet.empty().pausedBy(pause));
    this.config = config.rules();
    this.lists = new ListSources(Path.of(this.config.listCacheDir()), this.config.listRefresh(), false,
        this.config.listSnapshots());
  }

  /**
   * Loads the rules and starts watching their files.
   *
   * @param groups the upstream groups that forward rules may name
   * @throws RuleFileException when a rule file does not load: start-up stops with its line
   */
  public void start(Set<String> groups) {
    upstreamGroups = Set.copyOf(groups);
    try {
      load();
    } catch (RuleFileException e) {
      LOG.error(e.getMessage());
      throw e;
    }
    watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dnsgate-rules");
      t.setDaemon(true);
      return t;
    });
    long every = config.reloadInterval().toMillis();
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
  }

  public void stop() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }

  public RuleSet current() {
    return current.get();
  }

  /** True once a rule set has loaded (at start-up, or an empty folder). */
  public boolean loaded() {
    return loaded;
  }

  public Path rulesDir() {
    return Path.of(config.dir());
  }

  /**
   * Loads another rules folder as this instance loads its own (same lists, upstream groups and lint),
   * without serving it: for comparing a candidate with the running rules.
   *
   * @throws RuleFileException when the folder does not load
   */
  public RuleSet loadCandidate(Path dir) {
    return loader.load(new RuleEnvironment(dir, lists, upstreamGroups));
  }

  private synchronized void load() {
    long start = System.nanoTime();
    RuleSet set;
    try {
      set = loader.load(new RuleEnvironment(rulesDir(), lists, upstreamGroups));
    } catch (RuntimeException e) {
      loader.loadFinished(false);
      throw e;
    }
    fingerprint = fingerprint(set);
    listsLoadedAt = System.currentTimeMillis();
    current.set(set.pausedBy(pause)); // the pause outlives the set: a reload neither ends nor extends it
    loader.loadFinished(true);
    loaded = true;
    LOG.infof("loaded %d rules from %s in %d ms", set.size(), rulesDir().toAbsolutePath(),
        (System.nanoTime() - start) / 1_000_000);
  }

  /**
   * Reloads now. Returns false, logs "file:line: what" and keeps the previous rules when the new ones
   * do not load.
   */
  public synchronized boolean reload() {
    RuleSet previous = current.get();
    try {
      load();
    } catch (RuleFileException e) {
      fingerprint = fingerprint(current.get()); // report a broken edit once, not on every poll
      LOG.errorf("%s (keeping the previous %d rules)", e.getMessage(), current.get().size());
      return false;
    } catch (RuntimeException e) {
      LOG.errorf(e, "reloading rules failed (keeping the previous %d rules)", current.get().size());
      return false;
    }
    try {
      replaced.fire(new RulesReplaced(previous, current.get()));
    } catch (RuntimeException e) {
      // an observer's bug must not stop the watcher thread, and the new rules already serve
      LOG.errorf(e, "a rules-replaced observer failed");
    }
    return true;
  }

  private void reloadIfChanged() {
    boolean listsDue = System.currentTimeMillis() - listsLoadedAt > config.listRefresh().toMillis();
    if (listsDue || !fingerprint(current.get()).equals(fingerprint)) {
      reload();
    }
  }

  private String fingerprint(RuleSet set) {
    Set<Path> inputs = new TreeSet<>(set.inputs());
    inputs.addAll(RuleLoader.ruleFiles(rulesDir()));
    StringBuilder state = new StringBuilder();
    for (Path input : inputs) {
      state.append(input).append('|');
      try {
        state.append(input.toRealPath()).append('|').append(Files.size(input)).append('|')
            .append(Files.getLastModifiedTime(input).toMillis());
      } catch (IOException e) {
        state.append("missing");
      }
      state.append('\n');
    }
    return state.toString();
  }
}
