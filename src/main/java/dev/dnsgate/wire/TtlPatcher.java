package dev.dnsgate.wire;

import static dev.dnsgate.wire.WireBytes.u16;
import static dev.dnsgate.wire.WireBytes.u32;

import java.util.Arrays;
import org.xbill.DNS.Type;

/**
 * Finds and rewrites the TTL fields of a message in wire form, so that a cached answer can be served
 * with its TTLs counted down without building new record objects. Only for messages dnsjava has
 * encoded, or that ReusableWire has walked; the OPT pseudo-record's TTL field holds flags and
 * is skipped.
 */
public final class TtlPatcher {

  private TtlPatcher() {}

  /** Offsets of every TTL field, answer, authority and additional sections alike. */
  public static int[] ttlOffsets(byte[] wire) {
    int questions = u16(wire, 4);
    int records = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
    int pos = 12;
    for (int i = 0; i < questions; i++) {
      pos = skipName(wire, pos) + 4;
    }
    int[] offsets = new int[records];
    int count = 0;
    for (int i = 0; i < records; i++) {
      pos = skipName(wire, pos);
      int type = u16(wire, pos);
      pos += 4;
      if (type != Type.OPT) {
        offsets[count++] = pos;
      }
      pos += 4;
      pos += 2 + u16(wire, pos);
    }
    return Arrays.copyOf(offsets, count);
  }

  /** Clamps every TTL into [min, max]. */
  public static void clamp(byte[] wire, int[] offsets, long min, long max) {
    for (int offset : offsets) {
      put32(wire, offset, Math.max(min, Math.min(max, u32(wire, offset))));
    }
  }

  /** The TTL values at the given offsets. */
  public static long[] ttls(byte[] wire, int[] offsets) {
    long[] ttls = new long[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      ttls[i] = u32(wire, offsets[i]);
    }
    return ttls;
  }

  /** Counts every TTL down by {@code seconds}, not below zero; or sets them all when {@code fixed >= 0}. */
  public static void age(byte[] wire, int[] offsets, long seconds, long fixed) {
    for (int offset : offsets) {
      put32(wire, offset, fixed >= 0 ? fixed : Math.max(0, u32(wire, offset) - seconds));
    }
  }

  private static int skipName(byte[] wire, int start) {
    int pos = start;
    while (true) {
      int length = wire[pos] & 0xff;
      if ((length & 0xc0) == 0xc0) {
        return pos + 2;
      }
      if (length == 0) {
        return pos + 1;
      }
      pos += length + 1;
    }
  }

  private static void put32(byte[] b, int i, long v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }
}
