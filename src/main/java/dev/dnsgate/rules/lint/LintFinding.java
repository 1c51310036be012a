package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.Rule;

/**
 * One lint warning, reported as {@code file:line: warning: what}.
 *
 * @param where "file:line" of the rule the warning is about
 */
public record LintFinding(String where, String message) {

  public String line() {
    return where + ": warning: " + message;
  }

  /** A rule as findings name it: 'name' (file:line). */
  static String describe(Rule rule) {
    return "'" + rule.name() + "' (" + rule.source() + ")";
  }
}
