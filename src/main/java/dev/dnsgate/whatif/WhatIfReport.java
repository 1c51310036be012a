package dev.dnsgate.whatif;

import dev.dnsgate.rules.RuleSet;
import dev.dnsgate.rules.testcases.RuleTestCases;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything one what-if run found, as text for people and JSON for tools: the input, both rule
 * sets, the changes by kind with their top names, the candidate's test cases and lint warnings, and
 * whether the gate passed.
 */
public record WhatIfReport(
    List<Path> logs,
    QueryLogReader input,
    Path currentDir,
    RuleSet current,
    Path candidateDir,
    RuleSet candidate,
    Replay replay,
    List<RuleTestCases.Result> tests,
    List<String> gateFailures,
    int top,
    Timings timings) {

  /**
   * Milliseconds spent loading each folder and replaying the log, wall-clock and in CPU time of the
   * whole process (every core, JIT and GC included; a busy machine does not inflate it).
   */
  public record Timings(long loadCurrent, long loadCandidate, long replay, long cpuLoad, long cpuReplay) {}

  public boolean passed() {
    return gateFailures.isEmpty();
  }

  public String text() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "replayed %d queries from %s (%d lines: %d malformed, skipped; %d answered before the rules)%n",
        replay.replayed(), logs.size() == 1 ? logs.get(0) : logs.size() + " logs", input.lines(), input.malformed(),
        input.beforeRules()));
    input.malformedExamples().forEach(e -> out.append("  malformed: ").append(e).append('\n'));
    out.append(String.format(Locale.ROOT, "  current:   %s (%d rules)%n  candidate: %s (%d rules)%n",
        currentDir, current.size(), candidateDir, candidate.size()));
    out.append(String.format(Locale.ROOT, "  %d distinct queries evaluated against both%n", replay.evaluated()));
    out.append(String.format(Locale.ROOT, "  loaded in %d ms and %d ms, replayed in %d ms (CPU: %d ms loading, %d ms replaying)%n%n",
        timings.loadCurrent(), timings.loadCandidate(), timings.replay(), timings.cpuLoad(), timings.cpuReplay()));
    out.append(String.format(Locale.ROOT, "changed: %d of %d queries (%s)%n", replay.changed(), replay.replayed(),
        percent(replay.changedShare())));
    for (ChangeKind kind : ChangeKind.values()) {
      Tally tally = replay.tally(kind);
      if (tally.queries() == 0) {
        continue;
      }
      out.append(String.format(Locale.ROOT, "%n  %s: %d queries, %d names (%s)%n", kind.label(), tally.queries(),
          tally.names(), kind.meaning()));
      for (Tally.NameCount name : tally.top(top)) {
        out.append(String.format(Locale.ROOT, "    %8d  %s%n              %s  ->  %s%n", name.queries(), name.name(),
            name.before(), name.after()));
        if (!name.clients().isEmpty()) {
          out.append("              clients: ").append(String.join(", ", name.clients())).append('\n');
        }
      }
      if (tally.unitemised() > 0) {
        out.append(String.format(Locale.ROOT, "    (%d more queries for names past the first %d)%n", tally.unitemised(), Tally.NAMES));
      }
    }
    long failed = tests.stream().filter(t -> !t.passed()).count();
    out.append(String.format(Locale.ROOT, "%nrule tests (%s/tests): %d passed, %d failed%n", candidateDir, tests.size() - failed, failed));
    for (RuleTestCases.Result t : tests) {
      if (!t.passed()) {
        out.append("  FAILED ").append(t.testCase().title()).append(": ").append(String.join("; ", t.problems())).append('\n');
      }
    }
    out.append(String.format(Locale.ROOT, "lint (candidate): %d warnings%n", candidate.warnings().size()));
    candidate.warnings().forEach(w -> out.append("  ").append(w).append('\n'));
    out.append(passed() ? "\nresult: pass\n" : "\nresult: FAIL\n");
    gateFailures.forEach(f -> out.append("  ").append(f).append('\n'));
    return out.toString();
  }

  public JsonObject json() {
    JsonObject kinds = new JsonObject();
    for (ChangeKind kind : ChangeKind.values()) {
      Tally tally = replay.tally(kind);
      JsonArray names = new JsonArray();
      for (Tally.NameCount name : tally.top(top)) {
        names.add(new JsonObject().put("name", name.name().toString()).put("queries", name.queries())
            .put("before", name.before()).put("after", name.after()).put("clients", new JsonArray(name.clients())));
      }
      kinds.put(kind.label(), new JsonObject().put("queries", tally.queries()).put("names", tally.names())
          .put("unitemised_queries", tally.unitemised()).put("top", names));
    }
    JsonArray failedTests = new JsonArray();
    tests.stream().filter(t -> !t.passed()).forEach(t -> failedTests.add(new JsonObject()
        .put("case", t.testCase().title()).put("problems", new JsonArray(t.problems()))));
    return new JsonObject()
        .put("input", new JsonObject()
            .put("logs", new JsonArray(logs.stream().map(Path::toString).toList()))
            .put("lines", input.lines()).put("malformed", input.malformed())
            .put("malformed_examples", new JsonArray(input.malformedExamples()))
            .put("answered_before_rules", input.beforeRules())
            .put("replayed", replay.replayed()).put("evaluated", replay.evaluated()))
        .put("current", rules(currentDir, current))
        .put("candidate", rules(candidateDir, candidate))
        .put("millis", new JsonObject().put("load_current", timings.loadCurrent())
            .put("load_candidate", timings.loadCandidate()).put("replay", timings.replay())
            .put("cpu_load", timings.cpuLoad()).put("cpu_replay", timings.cpuReplay()))
        .put("changed", replay.changed())
        .put("changed_share", replay.changedShare())
        .put("kinds", kinds)
        .put("tests", new JsonObject().put("run", tests.size()).put("failed", failedTests))
        .put("result", new JsonObject().put("pass", passed()).put("failures", new JsonArray(gateFailures)));
  }

  private static JsonObject rules(Path dir, RuleSet rules) {
    return new JsonObject().put("dir", dir.toString()).put("rules", rules.size())
        .put("warnings", new JsonArray(rules.warnings()));
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f %%", share * 100);
  }
}
