/**
 * Rule what-if: recorded queries replayed through two rule folders (current and candidate) without
 * forwarding anything, and the queries that would be answered differently, counted by kind of change.
 * Run as {@code java -jar quarkus-run.jar what-if ...} (see rules/README.md).
 */
package dev.dnsgate.whatif;
