package dev.dnsgate.wire;

import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * What we must remember of a client's query to answer it exactly: its ID, its question as sent
 * (0x20 mixed case included), its EDNS view, and where it came from.
 *
 * @param query the parsed query, never modified after decoding
 * @param question the client's question record, bytes and case as received
 * @param edns whether the client sent an OPT record
 * @param udpLimit the largest UDP answer this client accepts (512 without EDNS)
 * @param dnssecOk the client's DO bit
 * @param options the client's EDNS options that are not hop-by-hop, forwarded upstream
 * @param packet the bytes as received (the question name in its exact case starts at offset 12)
 * @param clientName the name the client gave itself over DoT or DoH ({@link ClientName}), or null
 */
public record QueryContext(
    byte[] packet,
    Message query,
    Record question,
    boolean edns,
    int udpLimit,
    boolean dnssecOk,
    List<EDNSOption> options,
    Transport transport,
    InetAddress client,
    String clientName,
    long startNanos) {

  public int id() {
    return query.getHeader().getID();
  }

  /**
   * Whether an answer may carry AD=1: the client set DO or AD (RFC 6840 sections 5.7 and 5.8). Error
   * replies of the decoder have a query but no packet, so the flag is read from the parsed header.
   */
  public boolean wantsAd() {
    return dnssecOk || (query != null && query.getHeader().getFlag(Flags.AD));
  }

  /** Largest answer we may send back on this query's transport: only UDP is ever truncated. */
  public int answerLimit() {
    return transport == Transport.UDP ? udpLimit : Message.MAXLENGTH;
  }
}
