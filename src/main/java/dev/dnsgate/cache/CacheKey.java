package dev.dnsgate.cache;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * What makes two queries share an answer: the name (case-insensitive), type, class, the bits that
 * change the answer (DO, CD), and the upstream group that would answer it (conditional forwarding may
 * send the same name to different resolvers).
 *
 * <p>The name is kept as its canonical wire form (RFC 4034 section 6.2: lower case, uncompressed),
 * not as the client's Name object: the store compares it with the key bytes of its records
 * ({@link #matches}) and writes it into them ({@link #encoded}) as it is.
 *
 * <p>Not a record, for its hash: dnsjava's Name.hashCode multiplies by 9 per byte, so names that
 * differ in their digits collide (100k names "n0000000.bench.test" ... gave 66k distinct hashes and
 * bins of 14 in the cache's table). This one is FNV-1a over the lower-case name, mixed once.
 */
public final class CacheKey {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  /** Where the name starts in {@link #encoded}'s form, after the bits, type, class and name length. */
  private static final int NAME = 6;

  private final byte[] name;
  private final int type;
  private final int dclass;
  private final boolean dnssecOk;
  private final boolean checkingDisabled;
  private final String group;
  private final int hash;

  public CacheKey(Name name, int type, int dclass, boolean dnssecOk, boolean checkingDisabled, String group) {
    this.name = name.toWireCanonical();
    this.type = type;
    this.dclass = dclass;
    this.dnssecOk = dnssecOk;
    this.checkingDisabled = checkingDisabled;
    this.group = group;
    this.hash = hash(this.name, type, dclass, dnssecOk, checkingDisabled, group);
  }

  private static int hash(byte[] name, int type, int dclass, boolean dnssecOk, boolean checkingDisabled, String group) {
    long h = FNV_OFFSET;
    for (byte b : name) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    h = (h ^ type) * FNV_PRIME;
    h = (h ^ dclass) * FNV_PRIME;
    h = (h ^ (dnssecOk ? 1 : 0) ^ (checkingDisabled ? 2 : 0)) * FNV_PRIME;
    h = (h ^ group.hashCode()) * FNV_PRIME;
    h ^= h >>> 33; // MurmurHash3's finaliser: every input bit reaches the low bits a table indexes by
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) h;
  }

  /** The name, in lower case. */
  public Name name() {
    try {
      return new Name(name);
    } catch (IOException e) {
      throw new IllegalStateException("a Name's own wire form always parses", e);
    }
  }

  /**
   * The key as the store keeps it beside its answer: the bits, type, class, the name's length and
   * canonical name, then the group's name (UTF-8).
   */
  byte[] encoded() {
    byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[NAME + name.length + groupBytes.length];
    out[0] = bits();
    out[1] = (byte) (type >>> 8);
    out[2] = (byte) type;
    out[3] = (byte) (dclass >>> 8);
    out[4] = (byte) dclass;
    out[5] = (byte) name.length;
    System.arraycopy(name, 0, out, NAME, name.length);
    System.arraycopy(groupBytes, 0, out, NAME + name.length, groupBytes.length);
    return out;
  }

  private byte bits() {
    return (byte) ((dnssecOk ? 1 : 0) | (checkingDisabled ? 2 : 0));
  }

  /** Whether {@code length} bytes at {@code at} are this key as {@link #encoded} gave it. */
  boolean matches(byte[] from, int at, int length) {
    int groupAt = at + NAME + name.length;
    return from[at] == bits()
        && ((from[at + 1] & 0xff) << 8 | from[at + 2] & 0xff) == type
        && ((from[at + 3] & 0xff) << 8 | from[at + 4] & 0xff) == dclass
        && (from[at + 5] & 0xff) == name.length
        && Arrays.equals(name, 0, name.length, from, at + NAME, groupAt)
        && sameGroup(from, groupAt, at + length - groupAt);
  }

  /** Compares the group without encoding it: group names are ASCII in practice. */
  private boolean sameGroup(byte[] from, int at, int length) {
    int chars = group.length();
    for (int i = 0; i < chars; i++) {
      char c = group.charAt(i);
      if (c >= 0x80) {
        byte[] encoded = group.getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(encoded, 0, encoded.length, from, at, at + length);
      }
      if (i >= length || from[at + i] != (byte) c) {
        return false;
      }
    }
    return chars == length;
  }

  /**
   * Whether the key {@link #encoded} gave, stored at {@code at}, is for the name whose canonical wire
   * form is given.
   */
  static boolean hasName(byte[] from, int at, byte[] canonicalName) {
    int length = from[at + 5] & 0xff;
    return Arrays.equals(canonicalName, 0, canonicalName.length, from, at + NAME, at + NAME + length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheKey k
        && hash == k.hash
        && type == k.type
        && dclass == k.dclass
        && dnssecOk == k.dnssecOk
        && checkingDisabled == k.checkingDisabled
        && Arrays.equals(name, k.name)
        && group.equals(k.group);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return name() + "/" + type + "/" + dclass + (dnssecOk ? "/DO" : "") + (checkingDisabled ? "/CD" : "") + "@" + group;
  }
}
