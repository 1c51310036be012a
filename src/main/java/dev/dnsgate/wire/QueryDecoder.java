package dev.dnsgate.wire;

import java.io.IOException;
import java.net.InetAddress;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Turns a client's bytes into a query, an immediate error reply, or a drop. Never throws: nothing a
 * client sends may take the listener down.
 */
public final class QueryDecoder {

  /** Without EDNS a client accepts 512 bytes over UDP (RFC 1035 section 4.2.1). */
  static final int CLASSIC_UDP_LIMIT = 512;

  private final int maxUdpPayload;
  private final ResponseShaper shaper;

  public QueryDecoder(int maxUdpPayload, ResponseShaper shaper) {
    this.maxUdpPayload = maxUdpPayload;
    this.shaper = shaper;
  }

  public Decoded decode(byte[] packet, Transport transport, InetAddress client) {
    return decode(packet, transport, client, null);
  }

  /** As {@link #decode(byte[], Transport, InetAddress)}, for a client that named itself ({@link ClientName}). */
  public Decoded decode(byte[] packet, Transport transport, InetAddress client, String clientName) {
    if (packet.length < Header.LENGTH) {
      return new Decoded.Drop("shorter than a DNS header");
    }
    if (WireBytes.isResponse(packet)) {
      return new Decoded.Drop("a response, not a query");
    }
    Message query;
    try {
      query = new Message(packet);
    } catch (IOException | RuntimeException e) {
      return new Decoded.Reply(Responses.headerOnlyFormerr(packet), "unparseable: " + e.getMessage());
    }
    Header header = query.getHeader();
    if (header.getOpcode() == Opcode.NOTIFY && header.getCount(Section.QUESTION) == 1
        && query.getQuestion() != null) {
      return new Decoded.Notify(query, transport, client);
    }
    if (header.getOpcode() != Opcode.QUERY) {
      return reply(query, Rcode.NOTIMP, transport, "opcode " + Opcode.string(header.getOpcode()));
    }
    if (header.getCount(Section.QUESTION) != 1) {
      return reply(query, Rcode.FORMERR, transport, "question count " + header.getCount(Section.QUESTION));
    }
    if (query.getQuestion() == null) {
      // dnsjava accepts a message cut short when its TC bit is set, question and all (found by
      // RuleFileFuzzTest: such a query reached the rules without a question)
      return reply(query, Rcode.FORMERR, transport, "question cut off");
    }
    int optCount = 0;
    for (Record r : query.getSection(Section.ADDITIONAL)) {
      if (r instanceof OPTRecord) {
        optCount++;
      }
    }
    if (optCount > 1) {
      return reply(query, Rcode.FORMERR, transport, "more than one OPT record");
    }
    OPTRecord opt = query.getOPT();
    if (opt != null && opt.getVersion() != 0) {
      return reply(query, Rcode.BADVERS, transport, "EDNS version " + opt.getVersion());
    }
    return new Decoded.Query(context(packet, query, opt, transport, client, clientName));
  }

  private QueryContext context(
      byte[] packet, Message query, OPTRecord opt, Transport transport, InetAddress client, String clientName) {
    boolean edns = opt != null;
    int udpLimit =
        edns
            ? Math.min(Math.max(opt.getPayloadSize(), CLASSIC_UDP_LIMIT), maxUdpPayload)
            : CLASSIC_UDP_LIMIT;
    boolean dnssecOk = edns && (opt.getFlags() & ExtendedFlags.DO) != 0;
    return new QueryContext(
        packet,
        query,
        query.getQuestion(),
        edns,
        udpLimit,
        dnssecOk,
        EdnsOptions.endToEnd(opt),
        transport,
        client,
        clientName,
        System.nanoTime());
  }

  private Decoded reply(Message query, int rcode, Transport transport, String reason) {
    QueryContext ctx = context(null, query, query.getOPT(), transport, null, null);
    return new Decoded.Reply(shaper.shape(Responses.error(ctx, rcode), ctx, null), reason);
  }
}
