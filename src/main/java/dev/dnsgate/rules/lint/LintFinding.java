package dev.dnsgate.rules.lint;

/**
 * One lint warning, reported as {@code file:line: warning: what}.
 *
 * @param where "file:line" of the rule the warning is about
 */
public record LintFinding(String where, String message) {

  public String line() {
    return where + ": warning: " + message;
  }

  static String describe(dev.dnsgate.rules.Rule rule) {
    return "'" + rule.name() + "' (" + rule.source() + ")";
  }
}
