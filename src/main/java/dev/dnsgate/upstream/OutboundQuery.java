package dev.dnsgate.upstream;

import dev.dnsgate.wire.EdnsOptions;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.WireBytes;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A query as it goes to an upstream: encoded once, with the ID left at zero because each connection
 * assigns its own (so that concurrent clients with the same ID never collide on one connection). It
 * always carries RFC 7828 edns-tcp-keepalive without a timeout: that asks the server how long it keeps
 * an idle connection open, so that ours can stay open that long (see DotConnection).
 *
 * @param wire the encoded query; bytes 0-1 (the ID) are overwritten per connection
 * @param question what the answer must echo to be accepted
 */
public record OutboundQuery(byte[] wire, Record question) {

  /** RFC 8467 section 4.1: the recommended block size for queries. */
  static final int PADDING_BLOCK = 128;

  /** An EDNS option's code and length, before its data. */
  private static final int OPTION_HEADER = 4;
  /** The RD bit in the header's third byte, CD in its fourth (RFC 1035 section 4.1.1, RFC 4035). */
  private static final int RD_BIT = 0x01;
  private static final int CD_BIT = 0x10;

  /** Payload size we advertise upstream; over TLS it only bounds what the upstream may send. */
  static final int UPSTREAM_PAYLOAD = 1232;

  /** The client's query with its RD/CD bits, DO bit and end-to-end EDNS options. */
  public static OutboundQuery from(QueryContext ctx, boolean padding) {
    return from(ctx, ctx.question(), padding);
  }

  /** As {@link #from(QueryContext, boolean)}, asking {@code question} instead (after a rewrite). */
  public static OutboundQuery from(QueryContext ctx, Record question, boolean padding) {
    Header header = ctx.query().getHeader();
    return encode(question, header.getFlag(Flags.RD), header.getFlag(Flags.CD), ctx.dnssecOk(), ctx.options(), padding);
  }

  /**
   * A query of our own making rather than a client's (DNSSEC key lookups, a what-if run, a probe): its
   * question, its RD and CD bits, and the DO bit and end-to-end options of its OPT record, if any.
   */
  public static OutboundQuery of(Message message, boolean padding) {
    Record question = message.getQuestion();
    if (question == null) {
      throw new IllegalArgumentException("an outbound query needs a question");
    }
    OPTRecord opt = message.getOPT();
    boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    return encode(question, message.getHeader().getFlag(Flags.RD), message.getHeader().getFlag(Flags.CD), dnssecOk,
        opt == null ? List.of() : EdnsOptions.endToEnd(opt), padding);
  }

  /** A cheap query that any resolver answers (even with REFUSED): used to probe a server back in. */
  static OutboundQuery probe(boolean padding) {
    return encode(Record.newRecord(Name.root, Type.NS, DClass.IN), false, false, false, List.of(), padding);
  }

  /**
   * Writes the query's bytes directly (RFC 1035 section 4.1, RFC 6891 section 6.1.2): one question,
   * uncompressed, and an OPT record with the client's end-to-end options, our keepalive question and
   * the padding. Built without a dnsjava Message, whose sections, OPT record and compression table
   * were a seventh of the garbage each forwarded query made (BENCHMARKS.md, Latency).
   */
  private static OutboundQuery encode(Record question, boolean recursionDesired, boolean checkingDisabled,
      boolean dnssecOk, List<EDNSOption> clientOptions, boolean padding) {
    byte[] name = question.getName().toWire();
    byte[][] options = new byte[clientOptions.size()][];
    int optionBytes = OPTION_HEADER; // the keepalive option: code and length, no timeout
    for (int i = 0; i < options.length; i++) {
      options[i] = clientOptions.get(i).toWire();
      optionBytes += options[i].length;
    }
    int length = Header.LENGTH + name.length + 4 + WireBytes.EMPTY_OPT_LENGTH + optionBytes;
    int pad = -1;
    if (padding) {
      // The padding option's own header counts toward the padded length.
      pad = (PADDING_BLOCK - (length + OPTION_HEADER) % PADDING_BLOCK) % PADDING_BLOCK;
      optionBytes += OPTION_HEADER + pad;
      length += OPTION_HEADER + pad;
    }
    byte[] wire = new byte[length];
    wire[2] = (byte) (recursionDesired ? RD_BIT : 0);
    wire[3] = (byte) (checkingDisabled ? CD_BIT : 0);
    WireBytes.put16(wire, 4, 1); // one question
    WireBytes.put16(wire, 10, 1); // one additional record: the OPT
    System.arraycopy(name, 0, wire, Header.LENGTH, name.length);
    int pos = Header.LENGTH + name.length;
    WireBytes.put16(wire, pos, question.getType());
    WireBytes.put16(wire, pos + 2, question.getDClass());
    pos += 5; // and the OPT record's owner, the root: one zero byte
    WireBytes.put16(wire, pos, Type.OPT);
    WireBytes.put16(wire, pos + 2, UPSTREAM_PAYLOAD);
    WireBytes.put16(wire, pos + 6, dnssecOk ? ExtendedFlags.DO : 0); // after extended rcode and version, both 0
    WireBytes.put16(wire, pos + 8, optionBytes);
    pos += 10;
    for (byte[] option : options) {
      System.arraycopy(option, 0, wire, pos, option.length);
      pos += option.length;
    }
    WireBytes.put16(wire, pos, EDNSOption.Code.TCP_KEEPALIVE);
    pos += OPTION_HEADER;
    if (pad >= 0) {
      WireBytes.put16(wire, pos, EDNSOption.Code.PADDING);
      WireBytes.put16(wire, pos + 2, pad);
    }
    return new OutboundQuery(wire, question);
  }

  /**
   * Whether {@code answer} answers this query: the same name (case-insensitive), type and class. Read
   * from its bytes when they were not parsed.
   */
  boolean isAnsweredBy(UpstreamAnswer answer) {
    return answer.reusable() != null ? echoedIn(answer.wire()) : isAnsweredBy(answer.message());
  }

  /**
   * Whether the question in an answer's bytes is this query's: the same name (ASCII letters compared
   * case-insensitively, RFC 4343), type and class. The answer's question must be uncompressed, as the
   * first name of a message always is.
   */
  private boolean echoedIn(byte[] answer) {
    int nameEnd = Header.LENGTH + question.getName().length();
    if (answer.length < nameEnd + 4) {
      return false;
    }
    for (int i = Header.LENGTH; i < nameEnd; i++) {
      // length bytes are below 64, so folding letters never changes one
      if (wire[i] != answer[i] && lower(wire[i]) != lower(answer[i])) {
        return false;
      }
    }
    return Arrays.equals(wire, nameEnd, nameEnd + 4, answer, nameEnd, nameEnd + 4); // type and class
  }

  private static int lower(byte b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }

  private boolean isAnsweredBy(Message answer) {
    Record echoed = answer.getQuestion();
    return echoed != null
        && echoed.getType() == question.getType()
        && echoed.getDClass() == question.getDClass()
        && echoed.getName().equals(question.getName());
  }
}
