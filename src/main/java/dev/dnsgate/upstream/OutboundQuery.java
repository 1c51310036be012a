package dev.dnsgate.upstream;

import dev.dnsgate.wire.EdnsOptions;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.WireBytes;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/**
 * A query as it goes to an upstream: encoded once, with the ID left at zero because each connection
 * assigns its own (so that concurrent clients with the same ID never collide on one connection).
 *
 * @param wire the encoded query; bytes 0-1 (the ID) are overwritten per connection
 * @param question what the answer must echo to be accepted
 */
public record OutboundQuery(byte[] wire, Record question) {

  /** RFC 8467 section 4.1: the recommended block size for queries. */
  static final int PADDING_BLOCK = 128;

  /**
   * RFC 7828 edns-tcp-keepalive without a timeout: asks the server how long it keeps an idle
   * connection open, so that ours can stay open that long (see DotConnection).
   */
  private static final EDNSOption ASK_IDLE_TIMEOUT = new TcpKeepaliveOption();

  /** Payload size we advertise upstream; over TLS it only bounds what the upstream may send. */
  static final int UPSTREAM_PAYLOAD = 1232;

  /** The client's query with its RD/CD bits, DO bit and end-to-end EDNS options. */
  public static OutboundQuery from(QueryContext ctx, boolean padding) {
    return from(ctx, ctx.question(), padding);
  }

  /** As {@link #from(QueryContext, boolean)}, asking {@code question} instead (after a rewrite). */
  public static OutboundQuery from(QueryContext ctx, Record question, boolean padding) {
    Message query = new Message(0);
    if (ctx.query().getHeader().getFlag(Flags.RD)) {
      query.getHeader().setFlag(Flags.RD);
    }
    if (ctx.query().getHeader().getFlag(Flags.CD)) {
      query.getHeader().setFlag(Flags.CD);
    }
    query.addRecord(question, Section.QUESTION);
    int flags = ctx.dnssecOk() ? ExtendedFlags.DO : 0;
    return encode(query, question, flags, ctx.options(), padding);
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
    Message query = new Message(0);
    for (int flag : new int[] {Flags.RD, Flags.CD}) {
      if (message.getHeader().getFlag(flag)) {
        query.getHeader().setFlag(flag);
      }
    }
    query.addRecord(question, Section.QUESTION);
    OPTRecord opt = message.getOPT();
    int flags = opt == null ? 0 : opt.getFlags() & ExtendedFlags.DO;
    return encode(query, question, flags, opt == null ? List.of() : EdnsOptions.endToEnd(opt), padding);
  }

  /** A cheap query that any resolver answers (even with REFUSED): used to probe a server back in. */
  static OutboundQuery probe(boolean padding) {
    Message query = new Message(0);
    query.addRecord(Record.newRecord(Name.root, Type.NS, DClass.IN), Section.QUESTION);
    return of(query, padding);
  }

  private static OutboundQuery encode(
      Message query, Record question, int flags, List<EDNSOption> clientOptions, boolean padding) {
    List<EDNSOption> options = new ArrayList<>(clientOptions.size() + 2);
    options.addAll(clientOptions);
    options.add(ASK_IDLE_TIMEOUT);
    if (padding) {
      // The padding option's own 4-byte header counts toward the padded length.
      int unpadded = unpaddedLength(query, flags, clientOptions, options) + 4;
      int pad = (PADDING_BLOCK - unpadded % PADDING_BLOCK) % PADDING_BLOCK;
      options.add(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[pad]));
    }
    query.addRecord(new OPTRecord(UPSTREAM_PAYLOAD, 0, 0, flags, options), Section.ADDITIONAL);
    return new OutboundQuery(query.toWire(), question);
  }

  /**
   * The encoded length without padding: counted for the usual query (no options of the client's;
   * header, question, an OPT record with our empty keepalive option), encoded once to measure otherwise.
   */
  private static int unpaddedLength(
      Message query, int flags, List<EDNSOption> clientOptions, List<EDNSOption> options) {
    if (clientOptions.isEmpty()) {
      return Header.LENGTH + query.getQuestion().getName().length() + 4 + WireBytes.EMPTY_OPT_LENGTH + 4;
    }
    Message probe = query.clone();
    probe.addRecord(new OPTRecord(UPSTREAM_PAYLOAD, 0, 0, flags, options), Section.ADDITIONAL);
    return probe.toWire().length;
  }

  /** Whether {@code answer} answers this query: same name (case-insensitive), type and class. */
  boolean isAnsweredBy(Message answer) {
    Record echoed = answer.getQuestion();
    return echoed != null
        && echoed.getType() == question.getType()
        && echoed.getDClass() == question.getDClass()
        && echoed.getName().equals(question.getName());
  }
}
