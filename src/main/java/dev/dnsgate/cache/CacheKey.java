package dev.dnsgate.cache;

import org.xbill.DNS.Name;

/**
 * What makes two queries share an answer: the name (case-insensitive: dnsjava's Name equality), type,
 * class, the bits that change the answer (DO, CD), and the upstream group that would answer it
 * (conditional forwarding may send the same name to different resolvers).
 */
public record CacheKey(Name name, int type, int dclass, boolean dnssecOk, boolean checkingDisabled, String group) {}
