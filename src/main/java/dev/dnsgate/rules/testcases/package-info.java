/**
 * The rule test cases written beside the rules ({@code tests/*.yaml}): read, run against a rule set
 * without forwarding anything, and judged. JUnit runs them (RuleTestCasesTest), and so does the
 * what-if command for a candidate folder.
 */
package dev.dnsgate.rules.testcases;
