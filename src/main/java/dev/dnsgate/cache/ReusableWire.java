package dev.dnsgate.cache;

import static dev.dnsgate.wire.WireBytes.u16;

import java.util.Arrays;
import org.xbill.DNS.Header;
import org.xbill.DNS.Type;

/**
 * Whether an upstream answer's bytes can be cached and served as they are, patched per client (ID,
 * RD, question case, TTLs), instead of being encoded afresh. That needs every name to stay intact
 * when those bytes change: so every compression pointer must lead back to a label this walk has
 * already seen (never into the header, a TTL or binary data), and every record must be of a type
 * whose names we know where to find. Anything else, legal or not, takes the encoding path.
 */
final class ReusableWire {

  private ReusableWire() {}

  /**
   * Bytes that can be reused, found in one walk.
   *
   * @param end where the bytes to keep end: the offset of the OPT record when it is the only one and
   *     the last record of the additional section, the message's length when there is none
   * @param ttlOffsets the TTL fields of the records kept (see TtlPatcher)
   */
  record Reusable(int end, int[] ttlOffsets) {}

  /** The bytes to keep and their TTL fields, or null when they cannot be reused. */
  static Reusable check(byte[] wire) {
    try {
      return walk(wire);
    } catch (IndexOutOfBoundsException e) {
      return null; // dnsjava parsed these bytes, so not expected; bytes from outside never throw here
    }
  }

  private static Reusable walk(byte[] wire) {
    if (u16(wire, 4) != 1) {
      return null;
    }
    long[] labels = new long[(wire.length + 63) >>> 6]; // a bit per byte: walked once per upstream answer
    int records = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
    int firstAdditional = records - u16(wire, 10);
    int pos = name(wire, Header.LENGTH, labels);
    if (pos < 0) {
      return null;
    }
    pos += 4;
    int[] ttlOffsets = new int[records];
    int ttls = 0;
    int optStart = -1;
    for (int i = 0; i < records; i++) {
      int start = pos;
      pos = name(wire, pos, labels);
      if (pos < 0) {
        return null;
      }
      int type = u16(wire, pos);
      int rdata = pos + 10;
      int end = rdata + u16(wire, pos + 8);
      if (type == Type.OPT) {
        if (i != records - 1 || i < firstAdditional) {
          return null; // an OPT record anywhere else is not the message's EDNS record
        }
        optStart = start;
      } else if (namesInRdata(wire, type, rdata, end, labels)) {
        ttlOffsets[ttls++] = pos + 4;
      } else {
        return null;
      }
      pos = end;
    }
    if (pos != wire.length) {
      return null;
    }
    return new Reusable(optStart >= 0 ? optStart : pos, Arrays.copyOf(ttlOffsets, ttls));
  }

  /** Checks the names inside the RDATA of the types we know; false for any other type. */
  private static boolean namesInRdata(byte[] wire, int type, int rdata, int end, long[] labels) {
    return switch (type) {
      case Type.A, Type.AAAA, Type.TXT -> true;
      case Type.NS, Type.CNAME, Type.PTR -> name(wire, rdata, labels) == end;
      case Type.MX -> name(wire, rdata + 2, labels) == end;
      case Type.SRV -> name(wire, rdata + 6, labels) == end;
      case Type.SOA -> {
        int second = name(wire, rdata, labels);
        int serials = second < 0 ? -1 : name(wire, second, labels);
        yield serials >= 0 && serials + 20 == end; // serial, refresh, retry, expire, minimum
      }
      default -> false;
    };
  }

  /**
   * Walks one name, marking where its labels start; returns the offset after it, or -1 when a
   * pointer leads anywhere but to a label already seen.
   */
  private static int name(byte[] wire, int start, long[] labels) {
    int pos = start;
    while (true) {
      int length = wire[pos] & 0xff;
      if ((length & 0xc0) == 0xc0) {
        int target = ((length & 0x3f) << 8) | (wire[pos + 1] & 0xff);
        // labels are marked as walked, so only earlier ones
        return (labels[target >>> 6] & (1L << target)) != 0 ? pos + 2 : -1;
      }
      if ((length & 0xc0) != 0) {
        return -1;
      }
      labels[pos >>> 6] |= 1L << pos;
      if (length == 0) {
        return pos + 1;
      }
      pos += length + 1;
    }
  }
}
