package dev.dnsgate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/** What the decoder makes of a client's bytes: a query with its EDNS view, an error reply, or a drop. */
class QueryDecoderTest {

  static final int MAX_PAYLOAD = 1232;
  static final Name NAME = Name.fromConstantString("WwW.Example.TEST.");
  static final QueryDecoder DECODER = new QueryDecoder(MAX_PAYLOAD, new ResponseShaper(MAX_PAYLOAD));
  static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  static Message query() {
    Message query = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
    query.getHeader().setID(0x4d2);
    return query;
  }

  static Message withOpt(Message query, int payload, int version, int flags, EDNSOption... options) {
    query.addRecord(new OPTRecord(payload, 0, version, flags, List.of(options)), Section.ADDITIONAL);
    return query;
  }

  static Decoded decode(byte[] packet, Transport transport) {
    return DECODER.decode(packet, transport, CLIENT);
  }

  static QueryContext accepted(Message query, Transport transport) {
    return assertInstanceOf(Decoded.Query.class, decode(query.toWire(), transport)).context();
  }

  static Message reply(byte[] packet) throws Exception {
    return new Message(assertInstanceOf(Decoded.Reply.class, decode(packet, Transport.UDP)).wire());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 11})
  void packetShorterThanAHeaderIsDropped(int length) {
    byte[] packet = Arrays.copyOf(query().toWire(), length);

    assertInstanceOf(Decoded.Drop.class, decode(packet, Transport.UDP));
  }

  @Test
  void responseIsDroppedSoTwoProxiesCannotLoop() {
    Message response = query();
    response.getHeader().setFlag(Flags.QR);

    assertInstanceOf(Decoded.Drop.class, decode(response.toWire(), Transport.UDP));
  }

  @Test
  void unparseableBodyGetsHeaderOnlyFormerr() throws Exception {
    byte[] whole = query().toWire();
    byte[] packet = Arrays.copyOf(whole, whole.length - 3); // question cut short, TC not set

    byte[] reply = assertInstanceOf(Decoded.Reply.class, decode(packet, Transport.UDP)).wire();

    assertEquals(12, reply.length);
    Message parsed = new Message(reply);
    assertEquals(0x4d2, parsed.getHeader().getID());
    assertEquals(Rcode.FORMERR, parsed.getRcode());
    assertTrue(parsed.getHeader().getFlag(Flags.QR));
    assertTrue(parsed.getHeader().getFlag(Flags.RD), "RD as the query had it");
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      assertEquals(0, parsed.getHeader().getCount(section), "count of section " + section);
    }
  }

  @Test
  void questionCutOffWithTcSetGetsFormerr() throws Exception {
    Message query = query();
    query.getHeader().setFlag(Flags.TC);
    byte[] whole = query.toWire();
    byte[] packet = Arrays.copyOf(whole, 12 + 5); // dnsjava accepts a cut message when TC is set

    Message reply = reply(packet);

    assertEquals(Rcode.FORMERR, reply.getRcode());
    assertEquals(0x4d2, reply.getHeader().getID());
    assertNull(reply.getQuestion());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 3})
  void questionCountOtherThanOneGetsFormerr(int questions) throws Exception {
    Message query = new Message(0x4d2);
    for (int i = 0; i < questions; i++) {
      query.addRecord(Record.newRecord(Name.fromConstantString("q" + i + ".test."), Type.A, DClass.IN),
          Section.QUESTION);
    }

    Message reply = reply(query.toWire());

    assertEquals(Rcode.FORMERR, reply.getRcode());
    assertEquals(0x4d2, reply.getHeader().getID());
    assertTrue(reply.getHeader().getCount(Section.QUESTION) <= 1);
  }

  @Test
  void twoOptRecordsGetFormerr() throws Exception {
    Message query = withOpt(withOpt(query(), 1232, 0, 0), 4096, 0, 0);

    Message reply = reply(query.toWire());

    assertEquals(Rcode.FORMERR, reply.getRcode());
    assertEquals(1, reply.getSection(Section.ADDITIONAL).size(), "one OPT record of ours");
  }

  @ParameterizedTest
  @ValueSource(ints = {Opcode.IQUERY, Opcode.STATUS, Opcode.UPDATE})
  void opcodeOtherThanQueryGetsNotimp(int opcode) throws Exception {
    Message query = query();
    query.getHeader().setOpcode(opcode);

    Message reply = reply(query.toWire());

    assertEquals(Rcode.NOTIMP, reply.getRcode());
    assertEquals(opcode, reply.getHeader().getOpcode());
    assertEquals(0x4d2, reply.getHeader().getID());
  }

  @Test
  void notifyWithOneSoaQuestionIsHandedOnForItsZoneSource() throws Exception {
    Message notify = Message.newQuery(Record.newRecord(Name.fromString("feed.rpz."), Type.SOA, DClass.IN));
    notify.getHeader().setOpcode(Opcode.NOTIFY);

    assertInstanceOf(Decoded.Notify.class, decode(notify.toWire(), Transport.UDP));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 255})
  void ednsVersionOtherThanZeroGetsBadvers(int version) throws Exception {
    Message reply = reply(withOpt(query(), 1232, version, 0).toWire());

    assertEquals(Rcode.BADVERS, reply.getRcode());
    OPTRecord opt = reply.getOPT();
    assertNotNull(opt);
    assertEquals(0, opt.getVersion(), "we answer with the version we speak");
    assertEquals(NAME.toString(), reply.getQuestion().getName().toString(), "question as sent");
  }

  @ParameterizedTest
  @CsvSource({
    // advertised payload (-1: no EDNS), UDP limit
    "-1, 512", "0, 512", "100, 512", "512, 512", "1000, 1000", "1232, 1232", "1233, 1232", "4096, 1232",
    "65535, 1232"
  })
  void udpLimitFollowsTheAdvertisedPayloadWithinClassicAndConfiguredSize(int payload, int udpLimit) {
    Message query = payload < 0 ? query() : withOpt(query(), payload, 0, 0);

    QueryContext udp = accepted(query, Transport.UDP);
    QueryContext tcp = accepted(query, Transport.TCP);

    assertEquals(payload >= 0, udp.edns());
    assertEquals(udpLimit, udp.udpLimit());
    assertEquals(udpLimit, udp.answerLimit());
    assertEquals(65535, tcp.answerLimit(), "TCP answers are bounded by the message size only");
  }

  @Test
  void configuredPayloadSizeCapsTheUdpLimit() {
    QueryDecoder small = new QueryDecoder(800, new ResponseShaper(800));
    Decoded decoded = small.decode(withOpt(query(), 4096, 0, 0).toWire(), Transport.UDP, CLIENT);

    assertEquals(800, assertInstanceOf(Decoded.Query.class, decoded).context().udpLimit());
  }

  @ParameterizedTest
  @CsvSource({"true, true", "false, false"})
  void doBitIsReadFromTheOptRecord(boolean doBit, boolean dnssecOk) {
    QueryContext ctx = accepted(withOpt(query(), 1232, 0, doBit ? ExtendedFlags.DO : 0), Transport.UDP);

    assertEquals(dnssecOk, ctx.dnssecOk());
  }

  @Test
  void noDoBitWithoutEdns() {
    assertFalse(accepted(query(), Transport.UDP).dnssecOk());
  }

  @Test
  void endToEndOptionsAreKeptInOrderAndHopByHopOnesDropped() throws Exception {
    EDNSOption nsid = new NSIDOption(new byte[0]);
    EDNSOption subnet = new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0"));
    EDNSOption unknown = new GenericEDNSOption(65001, new byte[] {1, 2, 3});
    Message query = withOpt(query(), 1232, 0, 0,
        new CookieOption(new byte[8]), nsid, new TcpKeepaliveOption(), subnet,
        new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[16]), unknown);

    QueryContext ctx = accepted(query, Transport.UDP);

    assertEquals(List.of(EDNSOption.Code.NSID, EDNSOption.Code.CLIENT_SUBNET, 65001),
        ctx.options().stream().map(EDNSOption::getCode).toList());
    assertArrayEquals(unknown.toWire(), ctx.options().get(2).toWire());
  }

  @Test
  void acceptedQueryKeepsIdQuestionCaseTransportClientAndBytes() {
    Message query = query();
    byte[] packet = query.toWire();

    QueryContext ctx = assertInstanceOf(Decoded.Query.class, decode(packet, Transport.TCP)).context();

    assertEquals(0x4d2, ctx.id());
    assertEquals(NAME.toString(), ctx.question().getName().toString());
    assertEquals(Type.A, ctx.question().getType());
    assertEquals(Transport.TCP, ctx.transport());
    assertEquals(CLIENT, ctx.client());
    assertArrayEquals(packet, ctx.packet());
    assertTrue(ctx.options().isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void errorReplyOverEitherTransportCarriesTheClientsId(Transport transport) throws Exception {
    Message query = query();
    query.getHeader().setOpcode(Opcode.STATUS);

    byte[] wire = assertInstanceOf(Decoded.Reply.class, decode(query.toWire(), transport)).wire();

    assertEquals(0x4d2, new Message(wire).getHeader().getID());
  }
}
