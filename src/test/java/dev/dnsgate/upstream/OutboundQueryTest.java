package dev.dnsgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.testing.Queries;
import dev.dnsgate.wire.QueryContext;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/**
 * RFC 8467: every query we send upstream is padded to a whole 128-byte block, whatever it carries;
 * RFC 7828: and asks for the server's idle timeout.
 */
class OutboundQueryTest {

  static QueryContext client(String name, List<EDNSOption> options) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, 0, options), Section.ADDITIONAL);
    return Queries.context(query);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.", "example.test.", "a-rather-long-label-to-cross-a-block.and-another.example.test."})
  void queriesArePaddedToWholeBlocksWithAndWithoutClientOptions(String name) throws Exception {
    List<EDNSOption> subnet = List.of(new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0")));
    for (List<EDNSOption> options : List.of(List.<EDNSOption>of(), subnet)) {
      byte[] wire = OutboundQuery.from(client(name, options), true).wire();

      assertEquals(0, wire.length % OutboundQuery.PADDING_BLOCK, name + " with " + options);
      assertEquals(options.size(), new Message(wire).getOPT().getOptions().size() - 2, "client options kept");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyUpstreamQueryAsksForTheServersIdleTimeout(boolean padding) throws Exception {
    byte[] wire = OutboundQuery.from(client("example.test.", List.of()), padding).wire();

    List<EDNSOption> keepalive = new Message(wire).getOPT().getOptions(EDNSOption.Code.TCP_KEEPALIVE);
    assertEquals(1, keepalive.size());
    assertTrue(((TcpKeepaliveOption) keepalive.get(0)).getTimeout().isEmpty(), "a client sends no timeout (RFC 7828)");
  }

  @Test
  void queryOfOurOwnKeepsRdCdDoAndEndToEndOptionsAndDropsHopByHopOnes() throws Exception {
    Message own = new Message(0);
    own.getHeader().setFlag(Flags.RD);
    own.getHeader().setFlag(Flags.CD);
    own.addRecord(Record.newRecord(Name.fromString("signed.test."), Type.DNSKEY, DClass.IN), Section.QUESTION);
    EDNSOption nsid = new GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]);
    EDNSOption cookie = new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[8]);
    own.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO, List.of(nsid, cookie)), Section.ADDITIONAL);

    Message sent = new Message(OutboundQuery.of(own, false).wire());

    assertTrue(sent.getHeader().getFlag(Flags.RD));
    assertTrue(sent.getHeader().getFlag(Flags.CD));
    assertEquals(ExtendedFlags.DO, sent.getOPT().getFlags() & ExtendedFlags.DO);
    assertEquals(Type.DNSKEY, sent.getQuestion().getType());
    assertTrue(sent.getOPT().getOptions(EDNSOption.Code.NSID).size() == 1, "end to end: kept");
    assertEquals(EDNSOption.Code.NSID, sent.getOPT().getOptions().get(0).getCode(), "the client's options first");
    assertTrue(sent.getOPT().getOptions(EDNSOption.Code.COOKIE).isEmpty(), "per hop: not forwarded");
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void clientQueryGoesUpstreamWithItsQuestionFlagsAndDoBitAndNothingMore(boolean padding) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString("MiXed.Example.TEST."), Type.AAAA, DClass.CH));
    query.getHeader().setFlag(Flags.CD);
    query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);

    byte[] wire = OutboundQuery.from(Queries.context(query), padding).wire();
    Message sent = new Message(wire);

    assertEquals(0, sent.getHeader().getID(), "each connection sets its own ID");
    assertTrue(sent.getHeader().getFlag(Flags.RD));
    assertTrue(sent.getHeader().getFlag(Flags.CD));
    assertTrue(!sent.getHeader().getFlag(Flags.QR) && !sent.getHeader().getFlag(Flags.AD));
    assertEquals(query.getQuestion(), sent.getQuestion());
    assertEquals("MiXed.Example.TEST.", sent.getQuestion().getName().toString(), "the client's case is kept");
    assertEquals(List.of(1, 0, 0, 1), List.of(sent.getHeader().getCount(Section.QUESTION),
        sent.getHeader().getCount(Section.ANSWER), sent.getHeader().getCount(Section.AUTHORITY),
        sent.getHeader().getCount(Section.ADDITIONAL)));
    OPTRecord opt = sent.getOPT();
    assertEquals(OutboundQuery.UPSTREAM_PAYLOAD, opt.getPayloadSize());
    assertEquals(0, opt.getVersion());
    assertEquals(0, opt.getExtendedRcode());
    assertEquals(ExtendedFlags.DO, opt.getFlags());
    List<Integer> codes = opt.getOptions().stream().map(EDNSOption::getCode).toList();
    assertEquals(padding ? List.of(EDNSOption.Code.TCP_KEEPALIVE, EDNSOption.Code.PADDING)
        : List.of(EDNSOption.Code.TCP_KEEPALIVE), codes, "keepalive, then padding when asked");
    assertEquals(wire.length, sent.toWire().length, "no bytes beyond the message");
  }

  @Test
  void queryWithoutAQuestionIsRefusedAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> OutboundQuery.of(new Message(0), true));
  }
}
