package dev.dnsgate.rules;

import dev.dnsgate.config.DnsgateConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, complete set of rules: queries read one snapshot and never see half a reload.
 *
 * @param inputs every file the rules were read from, watched for changes
 * @param warnings the lint's findings when the rules loaded, as "file:line: warning: what" lines
 * @param pause which block rules are paused: the operator's for the live set, never for others
 */
public record RuleSet(Map<Phase, List<Rule>> byPhase, Set<Path> inputs, List<Rule> responsePolicies,
    List<String> warnings, BlockingPause pause) {

  /** Phase.values() copies its array on every call, and evaluate() runs per query. */
  private static final Phase[] PHASES = Phase.values();

  public static RuleSet of(List<Rule> rules, Set<Path> inputs) {
    Map<Phase, List<Rule>> byPhase = new EnumMap<>(Phase.class);
    for (Phase phase : Phase.values()) {
      byPhase.put(phase, new ArrayList<>());
    }
    rules.forEach(r -> byPhase.get(r.phase()).add(r));
    byPhase.replaceAll((p, list) -> List.copyOf(list));
    List<Rule> reviewing = new ArrayList<>();
    for (Phase phase : PHASES) {
      byPhase.get(phase).stream().filter(r -> r.action() instanceof ResponsePolicy).forEach(reviewing::add);
    }
    return new RuleSet(byPhase, Set.copyOf(inputs), List.copyOf(reviewing), List.of(), BlockingPause.NONE);
  }

  public RuleSet withWarnings(List<String> lines) {
    return new RuleSet(byPhase, inputs, responsePolicies, List.copyOf(lines), pause);
  }

  /** Whether an answer from upstream must be shown to {@link #responsePolicies()} before it is sent. */
  public boolean reviewsAnswers(Verdict verdict) {
    return !responsePolicies.isEmpty() && verdict.allowedBy() == null && verdict.outcome() instanceof Outcome.Forward;
  }

  public static RuleSet empty() {
    return of(List.of(), Set.of());
  }

  /** The same rules, with block rules subject to this pause (one object per load, not per query). */
  public RuleSet pausedBy(BlockingPause by) {
    return new RuleSet(byPhase, inputs, responsePolicies, warnings, by);
  }

  public int size() {
    return byPhase.values().stream().mapToInt(List::size).sum();
  }

  public List<Rule> all() {
    List<Rule> all = new ArrayList<>();
    byPhase.values().forEach(all::addAll);
    return all;
  }

  /**
   * Runs the phases in order (see {@link Phase}). In REWRITE the first matching rule rewrites and the
   * phase ends; an ALLOW match skips BLOCK, a policy's pass ends it; a paused block rule is passed
   * over as if it did not match; the first answer, forward, drop or truncation ends the chain. Pure:
   * no counter moves (the query path counts hits with {@link Verdict#countHits()}).
   *
   * @param trace where to record every step, or null on the hot path
   */
  public Verdict evaluate(RuleQuery query, List<Verdict.Step> trace) {
    Rule rewrittenBy = null;
    Rule allowedBy = null;
    PolicyMatch passed = null;
    List<Verdict.Step> steps = trace == null ? List.of() : trace;
    for (Phase phase : PHASES) {
      if (phase == Phase.BLOCK && allowedBy != null) {
        continue;
      }
      List<Rule> rules = byPhase.get(phase);
      // by index: an iterator per phase was a tenth of the garbage each cache hit made (BENCHMARKS.md, Latency)
      for (int i = 0; i < rules.size(); i++) {
        Rule rule = rules.get(i);
        boolean matched = rule.matcher().matches(query);
        if (matched && phase == Phase.BLOCK && pause.isPaused(rule)) {
          if (trace != null) {
            trace.add(new Verdict.Step(rule.name(), rule.kind(), rule.source(), true, "matched, blocking paused"));
          }
          continue;
        }
        Outcome outcome = matched ? rule.action().apply(query) : null;
        if (trace != null) {
          trace.add(new Verdict.Step(rule.name(), rule.kind(), rule.source(), matched, describe(matched, outcome)));
        }
        if (outcome == null) {
          continue;
        }
        if (outcome.ends()) {
          return new Verdict(outcome, rule, rewrittenBy, allowedBy, passed, steps);
        }
        if (outcome instanceof Outcome.Pass pass) {
          allowedBy = rule;
          passed = pass.policy();
        } else if (phase == Phase.ALLOW) {
          allowedBy = rule;
        } else {
          rewrittenBy = rule; // a rewrite, or a policy that sends the query on to another name
          passed = outcome.policy() != null ? outcome.policy() : passed;
        }
        break; // a rewrite, an allow or a pass ends its phase
      }
    }
    return new Verdict(new Outcome.Forward(DnsgateConfig.Upstream.DEFAULT_GROUP), null, rewrittenBy, allowedBy, passed, steps);
  }

  private static String describe(boolean matched, Outcome outcome) {
    if (!matched) {
      return "no match";
    }
    if (outcome == null) {
      return "matched, action did not apply";
    }
    String policy = outcome.policy() == null ? "" : " (" + outcome.policy().describe() + ")";
    if (outcome instanceof Outcome.Forward forward) {
      return "forward to group " + forward.group();
    }
    if (outcome instanceof Outcome.Answer) {
      return "answered" + policy;
    }
    if (outcome instanceof Outcome.Drop) {
      return "dropped" + policy;
    }
    if (outcome instanceof Outcome.Truncate) {
      return "truncated over UDP, the client retries over TCP" + policy;
    }
    return outcome instanceof Outcome.Pass ? "passed, no later block rule applies" + policy : "continue";
  }
}
