package dev.dnsgate.wire;

import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fits an answer to the client that asked: its ID, its question exactly as sent, its RD bit, our
 * own EDNS record (payload size, DO echoed, Extended DNS Errors) instead of the upstream's, and the
 * size limit of its transport. A UDP answer that does not fit is cut at an RRset boundary and sent
 * with TC=1, so the client retries over TCP (RFC 1035, RFC 2181 section 9).
 */
public final class ResponseShaper {

  private final int advertisedPayload;

  public ResponseShaper(int advertisedPayload) {
    this.advertisedPayload = advertisedPayload;
  }

  /**
   * Encodes {@code answer} for the client of {@code ctx}. The answer is changed in place: callers
   * pass a message they own (a fresh one, or a copy of a shared one).
   *
   * @param ede an Extended DNS Error to attach, or null
   */
  public byte[] shape(Message answer, QueryContext ctx, EDNSOption ede) {
    int rcode = answer.getRcode();
    List<EDNSOption> options = EdnsOptions.endToEnd(answer.getOPT());
    for (OPTRecord opt = answer.getOPT(); opt != null; opt = answer.getOPT()) {
      answer.removeRecord(opt, Section.ADDITIONAL); // every one: an upstream may have sent several
    }
    Header header = answer.getHeader();
    header.setID(ctx.id());
    if (ctx.query().getHeader().getFlag(Flags.RD)) {
      header.setFlag(Flags.RD);
    } else {
      header.unsetFlag(Flags.RD);
    }
    if (!ctx.wantsAd()) {
      header.unsetFlag(Flags.AD); // RFC 6840 section 5.8: AD only for a client that showed it understands it
    }
    answer.removeAllRecords(Section.QUESTION);
    if (ctx.question() != null) {
      answer.addRecord(ctx.question(), Section.QUESTION);
    }
    if (ctx.edns()) {
      if (ede != null) {
        options.add(ede);
      }
      int flags = ctx.dnssecOk() ? ExtendedFlags.DO : 0;
      header.setRcode(rcode & 0xF);
      answer.addRecord(
          new OPTRecord(advertisedPayload, rcode >>> 4, 0, flags, options), Section.ADDITIONAL);
    } else {
      // Without EDNS an extended rcode cannot be expressed; SERVFAIL is the honest fallback.
      header.setRcode(rcode > 0xF ? Rcode.SERVFAIL : rcode);
    }
    return answer.toWire(ctx.answerLimit());
  }

  /**
   * What {@link #shape} makes of an answer that has no OPT record, extended rcode or EDNS options of
   * its own, done on its bytes: our OPT record appended for an EDNS client, nothing for another. The
   * caller patches ID, RD and question case (see AnswerTemplate) and checks the size limit.
   */
  public byte[] withOwnOpt(byte[] plain, QueryContext ctx) {
    if (!ctx.edns()) {
      return plain;
    }
    byte[] out = Arrays.copyOf(plain, plain.length + WireBytes.EMPTY_OPT_LENGTH);
    int p = plain.length; // owner: the root, already 0
    out[p + 2] = (byte) Type.OPT;
    WireBytes.put16(out, p + 3, advertisedPayload);
    out[p + 7] = (byte) (ctx.dnssecOk() ? ExtendedFlags.DO >>> 8 : 0); // TTL field: rcode, version, flags
    WireBytes.addToAdditionalCount(out, 1);
    return out;
  }
}
