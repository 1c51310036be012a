/**
 * {@code action: rewrite}: exact, suffix and regex name rewrites with the answer mapped back.
 */
package dev.dnsgate.rules.rewrite;
