/**
 * Checks before any work: allowed client networks, per-network rate limiting, minimal ANY answers.
 */
package dev.dnsgate.access;
