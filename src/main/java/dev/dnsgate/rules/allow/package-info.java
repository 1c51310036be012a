/**
 * {@code action: allow}: matched queries skip the block phase.
 */
package dev.dnsgate.rules.allow;
