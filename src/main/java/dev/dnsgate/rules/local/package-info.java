/**
 * {@code action: local}: authoritative answers from zone-file lines, zone files and hosts files.
 */
package dev.dnsgate.rules.local;
