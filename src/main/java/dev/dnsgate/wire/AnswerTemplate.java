package dev.dnsgate.wire;

import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * An answer shaped once for one kind of client and then copied for each: the ID, the RD and AD bits
 * and the question's case are all that differ between two clients with the same EDNS view. Copying
 * and patching bytes replaces parsing and encoding per answer, which was the larger part of a local
 * answer's time. Cached answers are patched the same way ({@link #patchFor}).
 */
public final class AnswerTemplate {

  private final byte[] wire;

  private AnswerTemplate(byte[] wire) {
    this.wire = wire;
  }

  /**
   * A template of {@code shaped}, the encoding of {@code message} for one client, or null when that
   * encoding is right for that client only: TC set, or records left out to fit its size limit.
   *
   * @param message the message as shaped (its header counts what shaping meant to send)
   */
  public static AnswerTemplate ifComplete(byte[] shaped, Message message) {
    if (WireBytes.truncated(shaped)) {
      return null;
    }
    for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
      if (WireBytes.count(shaped, section) != message.getHeader().getCount(section)) {
        return null;
      }
    }
    return new AnswerTemplate(shaped.clone());
  }

  /** Whether the answer fits the client's size limit (else it must be shaped, and cut, for it). */
  public boolean fits(QueryContext ctx) {
    return wire.length <= ctx.answerLimit();
  }

  /** A copy for the client of {@code ctx}, TTLs as in the template. */
  public byte[] copyFor(QueryContext ctx) {
    byte[] out = wire.clone();
    patchFor(ctx, out);
    return out;
  }

  /**
   * Makes {@code out}, an answer shaped for the EDNS view of {@code ctx}'s client, that client's own:
   * its ID, its RD bit, AD only if it wants it, and the question's case as it asked.
   */
  public static void patchFor(QueryContext ctx, byte[] out) {
    WireBytes.put16(out, 0, ctx.id());
    out[2] = (byte) ((out[2] & ~0x01) | (ctx.packet()[2] & 0x01)); // RD as the client asked
    if (!ctx.wantsAd()) {
      out[3] &= ~0x20; // AD: see ResponseShaper
    }
    System.arraycopy(ctx.packet(), 12, out, 12, ctx.question().getName().length()); // its 0x20 case
  }
}
