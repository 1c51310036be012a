/**
 * {@code action: forward}: conditional forwarding to a configured upstream group.
 */
package dev.dnsgate.rules.forward;
