package dev.dnsgate.rules.testcases;

import java.util.Map;

/**
 * One case of a tests file: a query and what must come of it.
 *
 * @param file the tests file it comes from
 * @param name the case's name, or "case N" when it has none
 * @param query the {@code query:} mapping (name, type, client, client-name)
 * @param expect the {@code expect:} mapping
 * @param paused {@code paused: all} or a list of block rule names, as if an operator had paused them
 *     (POST /admin/pause); null when the case runs unpaused
 */
public record RuleTestCase(String file, String name, Map<String, Object> query, Map<String, Object> expect,
    Object paused) {

  public String title() {
    return file + ": " + name;
  }
}
