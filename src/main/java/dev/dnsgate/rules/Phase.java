package dev.dnsgate.rules;

/**
 * The fixed order in which rule kinds run, whatever order the files list them in (as CoreDNS fixes
 * plugin order): users order rules only within one phase, where they mean an order.
 *
 * <ol>
 *   <li>REWRITE: names are rewritten first, so every later phase sees the name that will be resolved;
 *   <li>ALLOW: an allow match ends the block checks (allowlists beat blocklists);
 *   <li>BLOCK: blocked names are answered here and go no further;
 *   <li>ANSWER: local zones and records answer without forwarding;
 *   <li>FORWARD: conditional forwarding picks the upstream group; otherwise the default group.
 * </ol>
 */
public enum Phase {
  REWRITE,
  ALLOW,
  BLOCK,
  ANSWER,
  FORWARD
}
