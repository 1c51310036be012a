package dev.dnsgate.rules.match;

import org.xbill.DNS.Name;

/**
 * 64-bit hashes of domain names built label by label from the root, so that one pass over a query
 * name yields the hash of the name and of every parent: checking a name against a list of any size
 * costs one set lookup per label (label-wise, never a scan, and "xads.example" is not "ads.example").
 * Names are compared in lower case; text and wire forms of the same name hash alike.
 */
public final class LabelHash {

  private static final long ROOT = 0x2545F4914F6CDD1DL;

  private LabelHash() {}

  /** Hashes of {@code name} and its parents: [0] is the name itself, the last is its top-level domain. */
  public static long[] suffixes(Name name) {
    byte[] wire = name.toWireCanonical();
    // sized by the name: this runs for every query, and a fixed 128 (528 bytes) showed in allocation profiles
    int[] starts = new int[name.labels()];
    int count = 0;
    for (int pos = 0; wire[pos] != 0; pos += wire[pos] + 1) {
      starts[count++] = pos;
    }
    long[] hashes = new long[count];
    long h = ROOT;
    for (int i = count - 1; i >= 0; i--) {
      int start = starts[i];
      h = combine(h, label(wire, start + 1, wire[start]));
      hashes[i] = h;
    }
    return hashes;
  }

  /**
   * Hash of {@code name} without its last {@code dropLabels} labels (its zone's origin, say), equal
   * to the hash {@link #suffixes} gives that shorter name: "ads.example.feed.rpz." minus "feed.rpz."
   * hashes as "ads.example".
   */
  public static long withoutLast(Name name, int dropLabels) {
    byte[] wire = name.toWireCanonical();
    int[] starts = new int[name.labels()];
    int count = 0;
    for (int pos = 0; wire[pos] != 0; pos += wire[pos] + 1) {
      starts[count++] = pos;
    }
    long h = ROOT;
    for (int i = count - 1 - dropLabels; i >= 0; i--) {
      h = combine(h, label(wire, starts[i] + 1, wire[starts[i]]));
    }
    return h;
  }

  /** Hash of a name written as text ("ads.example", no trailing dot needed), already lower case. */
  public static long ofText(String lowerCaseName) {
    long h = ROOT;
    int end = lowerCaseName.endsWith(".") ? lowerCaseName.length() - 1 : lowerCaseName.length();
    while (end > 0) {
      int dot = lowerCaseName.lastIndexOf('.', end - 1);
      long lh = FNV_OFFSET;
      for (int i = dot + 1; i < end; i++) {
        lh = (lh ^ (lowerCaseName.charAt(i) & 0xff)) * FNV_PRIME;
      }
      h = combine(h, lh);
      end = dot < 0 ? 0 : dot;
    }
    return h;
  }

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private static long label(byte[] bytes, int offset, int length) {
    long h = FNV_OFFSET;
    for (int i = offset; i < offset + length; i++) {
      h = (h ^ (bytes[i] & 0xff)) * FNV_PRIME;
    }
    return h;
  }

  /** MurmurHash3's finaliser over the parent's hash and the label's: good avalanche, cheap. */
  private static long combine(long parent, long label) {
    long h = parent * 0x9E3779B97F4A7C15L + label;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb93fe1a85ec9L;
    h ^= h >>> 33;
    return h;
  }
}
