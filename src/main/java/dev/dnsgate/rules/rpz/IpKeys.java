package dev.dnsgate.rules.rpz;

import java.net.InetAddress;

/**
 * Networks as 64-bit keys, so IP triggers share the name triggers' table: the key of a network is
 * a hash of its family, prefix length and masked address, and an address is looked up once per
 * prefix length the zone uses (longest first).
 */
final class IpKeys {

  private IpKeys() {}

  /** The key of {@code address}/{@code prefix} (address bytes: 4 or 16, bits past the prefix ignored). */
  static long of(byte[] address, int prefix) {
    long h = address.length == 4 ? 0x4L : 0x6L;
    h = mix(h * 31 + prefix);
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      h = mix(h * 31 + (address[i] & 0xff));
    }
    int rest = prefix % 8;
    if (rest > 0) {
      h = mix(h * 31 + (address[full] & 0xff & (0xff << (8 - rest))));
    }
    return h;
  }

  static long of(InetAddress address, int prefix) {
    return of(address.getAddress(), prefix);
  }

  private static long mix(long value) {
    long h = value * 0x9E3779B97F4A7C15L;
    h ^= h >>> 32;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 29;
    return h;
  }
}
