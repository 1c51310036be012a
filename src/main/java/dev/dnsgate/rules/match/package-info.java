/**
 * Matchers (the selector half of a rule) and block lists: formats, sources, label-wise hashing.
 */
package dev.dnsgate.rules.match;
