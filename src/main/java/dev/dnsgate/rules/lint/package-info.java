/**
 * Warnings about rules that load but cannot do what their author meant: rules that can never match,
 * lists that repeat each other, allow rules with nothing to allow, overlapping local zones, regexes
 * that can backtrack without end. Run at every load; {@code dnsgate.rules.lint.strict} makes them errors.
 */
package dev.dnsgate.rules.lint;
