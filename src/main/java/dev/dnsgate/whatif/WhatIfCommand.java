package dev.dnsgate.whatif;

import com.sun.management.OperatingSystemMXBean;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.rules.RuleFileException;
import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.rules.testcases.RuleTestCases;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code what-if}: replays recorded queries through the current and the candidate rule folders,
 * runs the candidate's test cases, and fails (exit 1) when the changes pass the limits given, so that
 * a rules repository's CI can gate a merge on it. Exit 2: it could not run (usage, a folder that does
 * not load, an unreadable log).
 */
public final class WhatIfCommand {

  static final String USAGE = """
      usage: what-if --current DIR --candidate DIR --log FILE [--log FILE ...] [options]
        --log FILE           a query log (dnsgate.query-log, JSON lines); may be given again
        --groups A,B         upstream groups forward rules may name (default: default)
        --list-cache DIR     where list URLs are downloaded (default: the server's default)
        --top N              names shown per kind of change (default 10)
        --json FILE          also write the report as JSON to FILE ("-": JSON on stdout, no text)
        --fail-on KINDS      fail when any query changes in one of these ways (comma separated, or "any"):
                             newly-blocked, unblocked, now-local, no-longer-local, local-changed,
                             rewrite-changed, forward-group, block-response
        --fail-above PCT     fail when more than PCT percent of the replayed queries change
        --strict             lint warnings fail the load, as with dnsgate.rules.lint.strict
      exit: 0 passed, 1 failed (limits, test cases), 2 could not run
      """;

  private Path current;
  private Path candidate;
  private final List<Path> logs = new ArrayList<>();
  private Set<String> groups = Set.of(DnsgateConfig.Upstream.DEFAULT_GROUP);
  private Path listCache = Path.of(System.getProperty("java.io.tmpdir"), "dnsgate-lists");
  private int top = 10;
  private String json;
  private final Set<ChangeKind> failOn = EnumSet.noneOf(ChangeKind.class);
  private double failAbove = Double.NaN;
  private boolean strict;

  /** Runs the command; returns the exit status. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.contains("-h") || args.contains("--help")) {
      out.print(USAGE);
      return 0;
    }
    WhatIfCommand command = new WhatIfCommand();
    try {
      command.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("what-if: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    try {
      WhatIfReport report = command.execute();
      if ("-".equals(command.json)) {
        out.println(report.json().encodePrettily());
      } else {
        out.print(report.text());
        if (command.json != null) {
          Files.writeString(Path.of(command.json), report.json().encodePrettily());
        }
      }
      return report.passed() ? 0 : 1;
    } catch (RuleFileException e) {
      err.println("what-if: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("what-if: " + e.getMessage());
      return 2;
    }
  }

  private void parse(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String option = args.get(i);
      if (i + 1 >= args.size() && !option.equals("--strict")) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      switch (option) {
        case "--current" -> current = Path.of(args.get(++i));
        case "--candidate" -> candidate = Path.of(args.get(++i));
        case "--log" -> logs.add(Path.of(args.get(++i)));
        case "--groups" -> groups = commaSeparated(args.get(++i), DnsgateConfig.Upstream.DEFAULT_GROUP);
        case "--list-cache" -> listCache = Path.of(args.get(++i));
        case "--top" -> top = number(option, args.get(++i));
        case "--json" -> json = args.get(++i);
        case "--fail-on" -> failOnKinds(args.get(++i));
        case "--fail-above" -> failAbove = percent(args.get(++i));
        case "--strict" -> strict = true;
        default -> throw new IllegalArgumentException("unknown option '" + option + "'");
      }
    }
    if (current == null || candidate == null || logs.isEmpty()) {
      throw new IllegalArgumentException("--current, --candidate and at least one --log are required");
    }
    // a missing folder would load as "no rules" and report every query as changed
    for (Path dir : List.of(current, candidate)) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("no rules folder " + dir);
      }
    }
    for (Path log : logs) {
      if (!Files.isReadable(log)) {
        throw new IllegalArgumentException("cannot read log " + log);
      }
    }
  }

  private static Set<String> commaSeparated(String text, String always) {
    Set<String> values = new LinkedHashSet<>();
    values.add(always);
    for (String v : text.split(",")) {
      if (!v.isBlank()) {
        values.add(v.strip());
      }
    }
    return values;
  }

  private void failOnKinds(String text) {
    for (String label : text.split(",")) {
      if (label.strip().equals("any")) {
        failOn.addAll(EnumSet.allOf(ChangeKind.class));
      } else if (!label.isBlank()) {
        failOn.add(ChangeKind.ofLabel(label.strip()));
      }
    }
  }

  private static int number(String option, String text) {
    try {
      int n = Integer.parseInt(text);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number from 0, not '" + text + "'");
    }
  }

  private static double percent(String text) {
    try {
      double value = Double.parseDouble(text.endsWith("%") ? text.substring(0, text.length() - 1) : text);
      if (value < 0 || value > 100) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--fail-above needs a percentage from 0 to 100, not '" + text + "'");
    }
  }

  private WhatIfReport execute() throws IOException {
    OfflineRules loader = new OfflineRules(new ListSources(listCache, Duration.ofHours(24), true), groups, strict);
    OperatingSystemMXBean cpu = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = cpu.getProcessCpuTime();
    long start = System.nanoTime();
    RuleSet before = loader.load(current);
    long loadedCurrent = System.nanoTime();
    RuleSet after = loader.load(candidate);
    long loadedCandidate = System.nanoTime();
    long cpuLoaded = cpu.getProcessCpuTime();
    Replay replay = new Replay(before, after);
    QueryLogReader reader = new QueryLogReader();
    for (Path log : logs) {
      reader.read(log, replay);
    }
    long replayed = System.nanoTime();
    long cpuReplayed = cpu.getProcessCpuTime();
    List<RuleTestCases.Result> tests = RuleTestCases.run(after, RuleTestCases.read(candidate));
    WhatIfReport.Timings timings = new WhatIfReport.Timings(millis(start, loadedCurrent),
        millis(loadedCurrent, loadedCandidate), millis(loadedCandidate, replayed), millis(cpuStart, cpuLoaded),
        millis(cpuLoaded, cpuReplayed));
    return new WhatIfReport(List.copyOf(logs), reader, current, before, candidate, after, replay, tests,
        gate(replay, tests), top, timings);
  }

  private static long millis(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private List<String> gate(Replay replay, List<RuleTestCases.Result> tests) {
    List<String> failures = new ArrayList<>();
    for (ChangeKind kind : failOn) {
      long queries = replay.tally(kind).queries();
      if (queries > 0) {
        failures.add(queries + " queries " + kind.label() + " (--fail-on " + kind.label() + ")");
      }
    }
    if (!Double.isNaN(failAbove) && replay.changedShare() * 100 > failAbove) {
      failures.add(String.format(Locale.ROOT, "%s of the queries changed, more than %s %% (--fail-above)",
          WhatIfReport.percent(replay.changedShare()), failAbove));
    }
    long failedTests = tests.stream().filter(t -> !t.passed()).count();
    if (failedTests > 0) {
      failures.add(failedTests + " rule test cases failed");
    }
    return failures;
  }
}
