package dev.dnsgate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.testing.Queries;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/** An upstream's answer fitted to the client that asked: header, question, EDNS and size limit. */
class ResponseShaperTest {

  static final Name ASKED = Name.fromConstantString("wWw.ExAmPlE.tEsT.");
  static final ResponseShaper SHAPER = new ResponseShaper(1232);

  /** The client's query: mixed case, its own ID, RD as given, EDNS with this payload (-1: none). */
  static QueryContext client(boolean rd, int payload, boolean doBit, Transport transport) {
    Message query = new Message(0x1a2b);
    query.addRecord(Record.newRecord(ASKED, Type.A, DClass.IN), Section.QUESTION);
    if (rd) {
      query.getHeader().setFlag(Flags.RD);
    }
    if (payload >= 0) {
      query.addRecord(new OPTRecord(payload, 0, 0, doBit ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return Queries.context(query, transport);
  }

  static QueryContext client(int payload) {
    return client(true, payload, false, Transport.UDP);
  }

  /** An upstream's answer: its own ID, lower-case question, RD the other way round, records in RRsets. */
  static Message upstream(Map<String, Integer> rrsets, boolean rd) throws Exception {
    Message answer = new Message(0x7777);
    answer.getHeader().setFlag(Flags.QR);
    answer.getHeader().setFlag(Flags.RA);
    if (rd) {
      answer.getHeader().setFlag(Flags.RD);
    }
    answer.addRecord(Record.newRecord(Name.fromConstantString("www.example.test."), Type.A, DClass.IN),
        Section.QUESTION);
    int n = 0;
    for (Map.Entry<String, Integer> rrset : rrsets.entrySet()) {
      for (int i = 0; i < rrset.getValue(); i++, n++) {
        answer.addRecord(new ARecord(Name.fromConstantString(rrset.getKey()), DClass.IN, 300,
            InetAddress.getByAddress(new byte[] {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n})), Section.ANSWER);
      }
    }
    return answer;
  }

  static Message upstream() throws Exception {
    return upstream(Map.of("www.example.test.", 2), false);
  }

  static Message withUpstreamOpt(Message answer, int payload, EDNSOption... options) {
    answer.addRecord(new OPTRecord(payload, 0, 0, ExtendedFlags.DO, List.of(options)), Section.ADDITIONAL);
    return answer;
  }

  @ParameterizedTest
  @CsvSource({"UDP, -1", "UDP, 1232", "TCP, -1", "TCP, 4096"})
  void answerCarriesTheClientsIdAndItsQuestionInItsExactCase(Transport transport, int payload) throws Exception {
    QueryContext ctx = client(true, payload, false, transport);

    byte[] wire = SHAPER.shape(upstream(), ctx, null);

    assertEquals(0x1a2b, WireBytes.u16(wire, 0));
    int nameLength = ASKED.length();
    assertArrayEquals(Arrays.copyOfRange(ctx.packet(), 12, 12 + nameLength + 4),
        Arrays.copyOfRange(wire, 12, 12 + nameLength + 4), "question bytes, 0x20 case included");
    assertEquals(1, new Message(wire).getHeader().getCount(Section.QUESTION));
  }

  @ParameterizedTest
  @CsvSource({"true, false", "false, true", "true, true", "false, false"})
  void rdIsAsTheClientAskedWhateverTheUpstreamSaid(boolean clientRd, boolean upstreamRd) throws Exception {
    Message shaped = new Message(SHAPER.shape(upstream(Map.of("www.example.test.", 1), upstreamRd),
        client(clientRd, 1232, false, Transport.UDP), null));

    assertEquals(clientRd, shaped.getHeader().getFlag(Flags.RD));
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void ednsClientGetsOurOptWithPayload1232AndItsDoBitEchoed(boolean doBit) throws Exception {
    Message answer = withUpstreamOpt(upstream(), 4096);

    Message shaped = new Message(SHAPER.shape(answer, client(true, 4096, doBit, Transport.UDP), null));

    OPTRecord opt = shaped.getOPT();
    assertNotNull(opt);
    assertEquals(1232, opt.getPayloadSize());
    assertEquals(doBit, (opt.getFlags() & ExtendedFlags.DO) != 0);
    assertEquals(0, opt.getVersion());
    assertEquals(1, shaped.getSection(Section.ADDITIONAL).size());
  }

  @Test
  void extendedDnsErrorIsAttachedForAnEdnsClient() throws Exception {
    EDNSOption ede = new ExtendedErrorCodeOption(ExtendedErrorCodeOption.BLOCKED, "blocked by rule");

    Message shaped = new Message(SHAPER.shape(upstream(), client(1232), ede));

    List<EDNSOption> options = shaped.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertEquals(1, options.size());
    ExtendedErrorCodeOption got = (ExtendedErrorCodeOption) options.get(0);
    assertEquals(ExtendedErrorCodeOption.BLOCKED, got.getErrorCode());
    assertEquals("blocked by rule", got.getText());
  }

  @Test
  void clientWithoutEdnsGetsNoOptAndNoEde() throws Exception {
    Message answer = withUpstreamOpt(upstream(), 4096, new NSIDOption(new byte[] {1}));

    Message shaped = new Message(SHAPER.shape(answer, client(-1),
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.BLOCKED)));

    assertNull(shaped.getOPT());
    assertTrue(shaped.getSection(Section.ADDITIONAL).isEmpty());
  }

  @ParameterizedTest
  @CsvSource({"-1, " + Rcode.SERVFAIL + ", " + Rcode.SERVFAIL, "1232, " + Rcode.BADCOOKIE + ", " + Rcode.BADCOOKIE,
      "-1, " + Rcode.NXDOMAIN + ", " + Rcode.NXDOMAIN, "1232, " + Rcode.NXDOMAIN + ", " + Rcode.NXDOMAIN})
  void extendedRcodeNeedsEdnsElseItIsServfail(int payload, int rcode, int expected) throws Exception {
    QueryContext ctx = client(payload);
    Message answer = Responses.error(ctx, rcode);

    Message shaped = new Message(SHAPER.shape(answer, ctx, null));

    assertEquals(expected, shaped.getRcode());
  }

  @Test
  void upstreamHopByHopOptionsAreRemovedAndEndToEndOnesKept() throws Exception {
    Message answer = withUpstreamOpt(upstream(), 4096, new CookieOption(new byte[8], new byte[16]),
        new TcpKeepaliveOption(100), new NSIDOption(new byte[] {'u', 'p'}),
        new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[300]));

    Message shaped = new Message(SHAPER.shape(answer, client(1232), null));

    assertEquals(List.of(EDNSOption.Code.NSID),
        shaped.getOPT().getOptions().stream().map(EDNSOption::getCode).toList());
  }

  @Test
  void everyUpstreamOptRecordIsReplacedByOurOne() throws Exception {
    Message answer = withUpstreamOpt(withUpstreamOpt(upstream(), 4096), 512);

    Message shaped = new Message(SHAPER.shape(answer, client(1232), null));

    assertEquals(1, shaped.getSection(Section.ADDITIONAL).size());
    assertEquals(1232, shaped.getOPT().getPayloadSize());
  }

  /** Three RRsets of 25 A records each, about 1250 bytes: fits no UDP limit below that. */
  static Map<String, Integer> threeRrsets() {
    Map<String, Integer> rrsets = new LinkedHashMap<>();
    rrsets.put("www.example.test.", 25);
    rrsets.put("a.example.test.", 25);
    rrsets.put("b.example.test.", 25);
    return rrsets;
  }

  static void assertWholeRrsets(Message shaped, Map<String, Integer> rrsets) {
    Map<Name, Long> counts = new LinkedHashMap<>();
    for (Record r : shaped.getSection(Section.ANSWER)) {
      counts.merge(r.getName(), 1L, Long::sum);
    }
    Map<Name, Integer> expected = new LinkedHashMap<>(); // Name equality ignores case, as compression does
    rrsets.forEach((name, count) -> expected.put(Name.fromConstantString(name), count));
    assertFalse(counts.isEmpty(), "no RRset at all");
    counts.forEach((name, count) ->
        assertEquals(expected.get(name).longValue(), count, "RRset " + name + " cut in the middle"));
  }

  @ParameterizedTest
  @CsvSource({"-1, 512", "512, 512", "700, 700", "1000, 1000", "1232, 1232"})
  void udpAnswerOverTheClientsLimitIsCutAtAnRrsetBoundaryWithTc(int payload, int limit) throws Exception {
    Map<String, Integer> rrsets = threeRrsets();
    QueryContext ctx = client(payload);

    byte[] wire = SHAPER.shape(upstream(rrsets, false), ctx, null);

    assertTrue(wire.length <= limit, wire.length + " bytes over a limit of " + limit);
    Message shaped = new Message(wire);
    assertTrue(shaped.getHeader().getFlag(Flags.TC));
    assertTrue(shaped.getSection(Section.ANSWER).size() < 75);
    assertWholeRrsets(shaped, rrsets);
    assertEquals(payload >= 0, shaped.getOPT() != null, "a truncated EDNS answer keeps our OPT record");
  }

  @Test
  void udpAnswerWithinTheLimitIsNotTruncated() throws Exception {
    Map<String, Integer> rrsets = Map.of("www.example.test.", 25);

    Message shaped = new Message(SHAPER.shape(upstream(rrsets, false), client(-1), null));

    assertFalse(shaped.getHeader().getFlag(Flags.TC));
    assertEquals(25, shaped.getSection(Section.ANSWER).size());
  }

  @ParameterizedTest
  @CsvSource({"-1, 75", "1232, 75", "-1, 3500", "4096, 3500"})
  void tcpAnswerIsNeverTruncatedUpTo65535Bytes(int payload, int records) throws Exception {
    Map<String, Integer> rrsets = new LinkedHashMap<>();
    rrsets.put("www.example.test.", records / 3);
    rrsets.put("a.example.test.", records - records / 3);
    QueryContext ctx = client(true, payload, false, Transport.TCP);

    byte[] wire = SHAPER.shape(upstream(rrsets, false), ctx, null);

    assertTrue(wire.length <= 65535);
    Message shaped = new Message(wire);
    assertFalse(shaped.getHeader().getFlag(Flags.TC));
    assertEquals(records, shaped.getSection(Section.ANSWER).size());
  }

  @ParameterizedTest
  @CsvSource({"-1, false", "1232, false", "1232, true"})
  void ownOptOnPlainBytesMatchesWhatShapingMakes(int payload, boolean doBit) throws Exception {
    QueryContext ctx = client(true, payload, doBit, Transport.UDP);
    Message plain = upstream(Map.of("www.example.test.", 2), true);
    plain.getHeader().setID(ctx.id());

    Message fast = new Message(SHAPER.withOwnOpt(plain.toWire(), ctx));
    Message shaped = new Message(SHAPER.shape(plain.clone(), ctx, null));

    assertEquals(shaped.getSection(Section.ANSWER), fast.getSection(Section.ANSWER));
    assertEquals(shaped.getOPT() == null, fast.getOPT() == null);
    if (shaped.getOPT() != null) {
      assertEquals(shaped.getOPT().getPayloadSize(), fast.getOPT().getPayloadSize());
      assertEquals(shaped.getOPT().getFlags(), fast.getOPT().getFlags());
      assertEquals(1, fast.getHeader().getCount(Section.ADDITIONAL));
    }
  }
}
