package dev.dnsgate.wire;

/**
 * The few fixed-size fields of a DNS message in wire form (RFC 1035 section 4.1) that the proxy reads
 * or patches in place instead of parsing: 16-bit values and the header's additional-records count.
 */
public final class WireBytes {

  /** An OPT record without options: root owner, type, class (payload), TTL (flags), empty RDATA. */
  public static final int EMPTY_OPT_LENGTH = 1 + 2 + 2 + 4 + 2;

  /** Offset of ARCOUNT in the header. */
  private static final int ADDITIONAL_COUNT = 10;
  /** The QR (response) and TC (truncated) bits, in the header's third byte. */
  private static final int QR = 0x80;
  private static final int TC = 0x02;

  private WireBytes() {}

  /** The unsigned 16-bit value at {@code offset}, network byte order. */
  public static int u16(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
  }

  /** The unsigned 32-bit value at {@code offset}, network byte order (a TTL, an SOA field). */
  public static long u32(byte[] bytes, int offset) {
    return ((long) u16(bytes, offset) << 16) | u16(bytes, offset + 2);
  }

  public static void put16(byte[] bytes, int offset, int value) {
    bytes[offset] = (byte) (value >>> 8);
    bytes[offset + 1] = (byte) value;
  }

  /** Whether the QR bit is set: the message is a response, not a query. */
  public static boolean isResponse(byte[] message) {
    return (message[2] & QR) != 0;
  }

  /** Whether the TC (truncated) bit is set. */
  public static boolean truncated(byte[] message) {
    return (message[2] & TC) != 0;
  }

  /** The header's rcode: its low four bits, the whole rcode when there is no OPT record to extend it. */
  public static int rcode(byte[] message) {
    return message[3] & 0x0f;
  }

  /** The header's record count of {@code section} (org.xbill.DNS.Section: ANSWER, AUTHORITY, ADDITIONAL). */
  public static int count(byte[] message, int section) {
    return u16(message, 4 + 2 * section);
  }

  /** Adds {@code delta} to the header's count of additional records (an OPT record added or cut off). */
  public static void addToAdditionalCount(byte[] message, int delta) {
    put16(message, ADDITIONAL_COUNT, u16(message, ADDITIONAL_COUNT) + delta);
  }
}
