package dev.dnsgate.wire;

import static dev.dnsgate.wire.WireBytes.u16;
import static dev.dnsgate.wire.WireBytes.u32;

import java.util.Arrays;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Type;

/**
 * Whether an upstream answer's bytes can be used as they are, without parsing them into a dnsjava
 * Message: cached and served patched per client (ID, RD, question case, TTLs), and read for the few
 * facts the proxy needs (TTLs, the negative-caching SOA, the server's idle timeout). That needs every
 * name to stay intact when those bytes change: so every compression pointer must lead back to a label
 * this walk has already seen (never into the header, a TTL or binary data), every record must be of a
 * type whose layout we know, and the OPT record may carry only per-hop options. Such bytes are also
 * well-formed by dnsjava's rules, so a Message can still be made from them when one is wanted.
 * Anything else, legal or not, takes the parsing path.
 */
public final class ReusableWire {

  /** RFC 1035 section 2.3.4. */
  private static final int MAX_NAME_LENGTH = 255;
  /** The smallest record: the root name, type, class, TTL and RDLENGTH. */
  private static final int MIN_RECORD = 11;
  /** The opcode bits in the header's third byte; only a QUERY's records read as they do here. */
  private static final int OPCODE_BITS = 0x78;
  /** RFC 7873 section 4: a client cookie of 8 bytes, alone or with a server cookie of 8 to 32. */
  private static final int CLIENT_COOKIE = 8;
  private static final int MAX_COOKIES = 40;

  private ReusableWire() {}

  /**
   * Bytes that can be reused, found in one walk.
   *
   * @param end where the bytes to keep end: the offset of the OPT record when it is the only one and
   *     the last record of the additional section, the message's length when there is none
   * @param ttlOffsets the TTL fields of the records kept (see TtlPatcher)
   * @param minTtl the smallest TTL of the records kept, -1 when there are none
   * @param negativeTtl the first authority SOA's TTL capped by its minimum field (RFC 2308 section 5),
   *     -1 when the authority section has no SOA
   * @param idleTimeout the server's edns-tcp-keepalive timeout in units of 100 ms (RFC 7828), -1 when
   *     it sent none
   */
  public record Reusable(int end, int[] ttlOffsets, long minTtl, long negativeTtl, int idleTimeout) {}

  /** The bytes to keep and what they say, or null when they cannot be reused. */
  public static Reusable check(byte[] wire) {
    try {
      return walk(wire);
    } catch (IndexOutOfBoundsException e) {
      return null; // a count or length pointing past the end: the parsing path says what is wrong
    }
  }

  private static Reusable walk(byte[] wire) {
    if (u16(wire, 4) != 1 || (wire[2] & OPCODE_BITS) != 0) {
      return null; // dnsjava reads an UPDATE's empty records otherwise (and may reject their TTLs)
    }
    long[] labels = new long[(wire.length + 63) >>> 6]; // a bit per byte: walked once per upstream answer
    int answers = u16(wire, 6);
    int authority = u16(wire, 8);
    int records = answers + authority + u16(wire, 10);
    int firstAdditional = answers + authority;
    int pos = name(wire, Header.LENGTH, labels);
    if (pos < 0) {
      return null;
    }
    pos += 4;
    if (records > (wire.length - pos) / MIN_RECORD) {
      return null; // counts the bytes cannot hold: no array sized by them
    }
    int[] ttlOffsets = new int[records];
    int ttls = 0;
    int optStart = -1;
    int idleTimeout = -1;
    long minTtl = -1;
    long negativeTtl = -1;
    for (int i = 0; i < records; i++) {
      int start = pos;
      pos = name(wire, pos, labels);
      if (pos < 0) {
        return null;
      }
      int type = u16(wire, pos);
      int rdata = pos + 10;
      int end = rdata + u16(wire, pos + 8);
      if (end > wire.length) {
        return null;
      }
      if (type == Type.OPT) {
        if (i != records - 1 || i < firstAdditional || start != pos - 1) {
          return null; // an OPT record anywhere else, or not owned by the root, is not the message's EDNS record
        }
        if (wire[pos + 4] != 0) {
          return null; // an extended rcode: the answer's rcode is not in the header alone
        }
        idleTimeout = perHopOptions(wire, rdata, end);
        if (idleTimeout < -1) {
          return null;
        }
        optStart = start;
      } else if (rdataKnown(wire, type, rdata, end, labels)) {
        long ttl = u32(wire, pos + 4);
        ttlOffsets[ttls++] = pos + 4;
        minTtl = minTtl < 0 ? ttl : Math.min(minTtl, ttl);
        if (type == Type.SOA && negativeTtl < 0 && i >= answers && i < firstAdditional) {
          negativeTtl = Math.min(ttl, u32(wire, end - 4));
        }
      } else {
        return null;
      }
      pos = end;
    }
    if (pos != wire.length) {
      return null;
    }
    return new Reusable(optStart >= 0 ? optStart : pos, Arrays.copyOf(ttlOffsets, ttls), minTtl, negativeTtl,
        idleTimeout);
  }

  /**
   * Checks that the OPT record's RDATA holds only per-hop options ({@link EdnsOptions#isHopByHop}:
   * padding, keepalive, cookies) of lengths dnsjava reads too; returns the keepalive timeout (-1
   * without one), or -2 when it does not.
   */
  private static int perHopOptions(byte[] wire, int start, int end) {
    int idleTimeout = -1;
    int pos = start;
    while (pos < end) {
      if (pos + 4 > end) {
        return -2;
      }
      int code = u16(wire, pos);
      int length = u16(wire, pos + 2);
      pos += 4;
      if (pos + length > end) {
        return -2;
      }
      if (!EdnsOptions.isHopByHop(code)) {
        return -2; // an end-to-end option: the answer is kept parsed, with it
      }
      if (code == EDNSOption.Code.TCP_KEEPALIVE) {
        if (length == 2) {
          idleTimeout = u16(wire, pos);
        } else if (length != 0) {
          return -2;
        }
      } else if (code == EDNSOption.Code.COOKIE
          && length != CLIENT_COOKIE && (length < 2 * CLIENT_COOKIE || length > MAX_COOKIES)) {
        return -2; // dnsjava refuses other cookie lengths
      }
      pos += length;
    }
    return idleTimeout;
  }

  /** Checks the RDATA of the types whose layout we know, names and all; false for any other type. */
  private static boolean rdataKnown(byte[] wire, int type, int rdata, int end, long[] labels) {
    return switch (type) {
      case Type.A -> end - rdata == 4;
      case Type.AAAA -> end - rdata == 16;
      case Type.TXT -> strings(wire, rdata, end);
      case Type.NS, Type.CNAME, Type.PTR -> name(wire, rdata, labels) == end;
      case Type.MX -> end - rdata > 2 && name(wire, rdata + 2, labels) == end;
      case Type.SRV -> end - rdata > 6 && name(wire, rdata + 6, labels) == end;
      case Type.SOA -> {
        int second = name(wire, rdata, labels);
        int serials = second < 0 || second >= end ? -1 : name(wire, second, labels);
        yield serials >= 0 && serials + 20 == end; // serial, refresh, retry, expire, minimum
      }
      default -> false;
    };
  }

  /** Whether TXT RDATA is a run of length-prefixed strings that ends exactly at its end. */
  private static boolean strings(byte[] wire, int pos, int end) {
    while (pos < end) {
      pos += 1 + (wire[pos] & 0xff);
    }
    return pos == end;
  }

  /**
   * Walks one name, marking where its labels start; returns the offset after it, or -1 when a
   * pointer leads anywhere but to a label of an earlier name (one into this name would loop), or the
   * name is longer than a name may be.
   */
  private static int name(byte[] wire, int start, long[] labels) {
    int pos = start;
    int length = 1; // the root label's zero byte
    while (true) {
      int label = wire[pos] & 0xff;
      if ((label & 0xc0) == 0xc0) {
        int target = ((label & 0x3f) << 8) | (wire[pos + 1] & 0xff);
        // labels are marked as walked, so only earlier ones; those of earlier names end without a loop
        if (target >= start || (labels[target >>> 6] & (1L << target)) == 0
            || length + lengthFrom(wire, target) - 1 > MAX_NAME_LENGTH) {
          return -1;
        }
        return pos + 2;
      }
      if ((label & 0xc0) != 0) {
        return -1;
      }
      labels[pos >>> 6] |= 1L << pos;
      if (label == 0) {
        return length > MAX_NAME_LENGTH ? -1 : pos + 1;
      }
      length += label + 1;
      pos += label + 1;
    }
  }

  /**
   * The length of the name at {@code pos}, an earlier name whose labels and pointers this walk has
   * checked already: each pointer leads further back, so this ends.
   */
  private static int lengthFrom(byte[] wire, int pos) {
    int length = 1;
    while (true) {
      int label = wire[pos] & 0xff;
      if ((label & 0xc0) == 0xc0) {
        pos = ((label & 0x3f) << 8) | (wire[pos + 1] & 0xff);
      } else if (label == 0) {
        return length;
      } else {
        length += label + 1;
        pos += label + 1;
      }
    }
  }
}
