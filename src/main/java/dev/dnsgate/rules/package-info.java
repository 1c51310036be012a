/**
 * The rule chain: rule files, phases, the loader with file:line errors, atomic hot reload and explanations. One sub-package per rule kind; matchers in {@code match}.
 */
package dev.dnsgate.rules;
