package dev.dnsgate.wire;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/** Answers the proxy makes up itself: errors and refusals. */
public final class Responses {

  private Responses() {}

  /** A response to the context's query with the given (possibly extended) rcode and no records. */
  public static Message error(QueryContext ctx, int rcode) {
    Message answer = new Message(ctx.id());
    answer.getHeader().setFlag(Flags.QR);
    answer.getHeader().setFlag(Flags.RA);
    answer.getHeader().setOpcode(ctx.query().getHeader().getOpcode());
    answer.getHeader().setRcode(rcode & 0xF);
    if (rcode > 0xF) {
      // The upper bits of an extended rcode travel in the OPT record (RFC 6891 section 6.1.3).
      answer.addRecord(new OPTRecord(0, rcode >>> 4, 0), Section.ADDITIONAL);
    }
    return answer;
  }

  /**
   * FORMERR for a packet whose header is readable but whose body is not: only the header can be
   * trusted, so the reply is the header with QR set, the question count and all other counts zero.
   */
  static byte[] headerOnlyFormerr(byte[] packet) {
    byte[] reply = new byte[12];
    reply[0] = packet[0];
    reply[1] = packet[1];
    // keep opcode and RD from the query, set QR; RA set, rcode FORMERR (1)
    reply[2] = (byte) (0x80 | (packet[2] & 0x79));
    reply[3] = (byte) (0x80 | 1);
    return reply;
  }
}
