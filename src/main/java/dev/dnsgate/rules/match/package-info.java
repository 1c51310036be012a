/**
 * Matchers (the selector half of a rule) and block lists: formats, sources, label-wise hashing, and
 * the snapshots that spare a restart parsing a big list again ({@link dev.dnsgate.rules.match.ListSnapshots}).
 */
package dev.dnsgate.rules.match;
