package dev.dnsgate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/** Which upstream answers can be kept as received bytes and patched per client, and where their TTLs are. */
class ReusableWireTest {

  static final Name NAME = Name.fromConstantString("www.example.test.");
  static final Name ZONE = Name.fromConstantString("example.test.");
  static final Name TARGET = Name.fromConstantString("target.example.test.");

  static Message answer(int qtype, List<Record> answers, List<Record> authority, List<Record> additional) {
    Message m = new Message(0x2222);
    m.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    m.addRecord(Record.newRecord(NAME, qtype, DClass.IN), Section.QUESTION);
    answers.forEach(r -> m.addRecord(r, Section.ANSWER));
    authority.forEach(r -> m.addRecord(r, Section.AUTHORITY));
    additional.forEach(r -> m.addRecord(r, Section.ADDITIONAL));
    return m;
  }

  static Message answer(Record... answers) {
    return answer(answers[0].getType(), List.of(answers), List.of(), List.of());
  }

  static Record a(Name name, long ttl, String ip) throws Exception {
    return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(ip));
  }

  static SOARecord soa(long ttl) {
    return new SOARecord(ZONE, DClass.IN, ttl, Name.fromConstantString("ns.example.test."),
        Name.fromConstantString("hostmaster.example.test."), 2026113001, 3600, 600, 86400, 300);
  }

  static Stream<Arguments> plainAnswers() throws Exception {
    return Stream.of(
        Arguments.of("A", answer(a(NAME, 300, "192.0.2.1"), a(NAME, 301, "192.0.2.2"))),
        Arguments.of("AAAA", answer(new AAAARecord(NAME, DClass.IN, 302, InetAddress.getByName("2001:db8::1")))),
        Arguments.of("CNAME chain", answer(Type.A,
            List.of(new CNAMERecord(NAME, DClass.IN, 303, TARGET), a(TARGET, 304, "192.0.2.3")), List.of(), List.of())),
        Arguments.of("MX", answer(new MXRecord(NAME, DClass.IN, 305, 10, TARGET),
            new MXRecord(NAME, DClass.IN, 306, 20, Name.fromConstantString("mx2.other.test.")))),
        Arguments.of("SRV", answer(new SRVRecord(NAME, DClass.IN, 307, 1, 2, 443, TARGET))),
        Arguments.of("TXT", answer(new TXTRecord(NAME, DClass.IN, 308, List.of("v=spf1 -all", "second string")))),
        Arguments.of("NS", answer(new NSRecord(NAME, DClass.IN, 309, TARGET))),
        Arguments.of("PTR", answer(new PTRRecord(NAME, DClass.IN, 310, TARGET))),
        Arguments.of("NXDOMAIN with SOA", answer(Type.A, List.of(), List.of(soa(311)), List.of())),
        Arguments.of("SOA answer", answer(soa(312))),
        Arguments.of("MX with glue", answer(Type.MX, List.of(new MXRecord(NAME, DClass.IN, 313, 10, TARGET)),
            List.of(new NSRecord(ZONE, DClass.IN, 314, TARGET)), List.of(a(TARGET, 315, "192.0.2.9")))));
  }

  /** The TTLs of every record but OPT, in wire order. */
  static List<Long> ttls(Message m) {
    List<Long> ttls = new ArrayList<>();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : m.getSection(section)) {
        if (r.getType() != Type.OPT) {
          ttls.add(r.getTTL());
        }
      }
    }
    return ttls;
  }

  static List<Long> ttlsAt(byte[] wire, int[] offsets) {
    return Arrays.stream(offsets).mapToObj(o -> WireBytes.u32(wire, o)).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plainAnswers")
  void plainAnswerIsReusableWithEveryTtlFound(String kind, Message answer) {
    byte[] wire = answer.toWire();

    ReusableWire.Reusable reusable = ReusableWire.check(wire);

    assertNotNull(reusable, kind);
    assertEquals(wire.length, reusable.end(), "no OPT record: keep it all");
    assertEquals(ttls(answer), ttlsAt(wire, reusable.ttlOffsets()), "each offset holds its record's TTL");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plainAnswers")
  void endCutsOffTheLastOptRecordAndItsTtlFieldIsNotPatched(String kind, Message answer) {
    answer.addRecord(new OPTRecord(1232, 0, 0, 0x8000,
        List.of(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[40]))), Section.ADDITIONAL);
    byte[] wire = answer.toWire();
    int optLength = 11 + 4 + 40;

    ReusableWire.Reusable reusable = ReusableWire.check(wire);

    assertNotNull(reusable, kind);
    assertEquals(wire.length - optLength, reusable.end());
    assertEquals(0, wire[reusable.end()], "the OPT owner, the root, starts there");
    assertEquals(Type.OPT, WireBytes.u16(wire, reusable.end() + 1));
    assertEquals(ttls(answer), ttlsAt(wire, reusable.ttlOffsets()));
  }

  @Test
  void ttlOffsetsSitRightAfterTypeAndClass() throws Exception {
    Message answer = answer(a(NAME, 0x01020304L, "192.0.2.1"), a(NAME, 0x7fffffffL, "192.0.2.2"));
    byte[] wire = answer.toWire();

    int[] offsets = ReusableWire.check(wire).ttlOffsets();

    assertEquals(2, offsets.length);
    for (int offset : offsets) {
      assertEquals(Type.A, WireBytes.u16(wire, offset - 4));
      assertEquals(DClass.IN, WireBytes.u16(wire, offset - 2));
      assertEquals(4, WireBytes.u16(wire, offset + 4), "RDLENGTH of an A record follows");
    }
    assertEquals(0x01020304L, WireBytes.u32(wire, offsets[0]));
    assertEquals(0x7fffffffL, WireBytes.u32(wire, offsets[1]));
  }

  static Stream<Arguments> unknownTypes() throws Exception {
    return Stream.of(
        Arguments.of(new HINFORecord(NAME, DClass.IN, 300, "cpu", "os")),
        Arguments.of(new CAARecord(NAME, DClass.IN, 300, 0, "issue", "ca.test")),
        Arguments.of(Record.fromString(NAME, 65280, DClass.IN, 300, "\\# 2 abcd", Name.root)));
  }

  @ParameterizedTest
  @MethodSource("unknownTypes")
  void recordOfATypeWhoseNamesWeDoNotKnowIsNotReusable(Record record) throws Exception {
    Message answer = answer(Type.A, List.of(a(NAME, 300, "192.0.2.1"), record), List.of(), List.of());

    assertNull(ReusableWire.check(answer.toWire()));
  }

  @Test
  void optRecordBeforeAnotherAdditionalRecordIsNotReusable() throws Exception {
    Message answer = answer(a(NAME, 300, "192.0.2.1"));
    byte[] plain = answer.toWire();
    byte[] opt = new OPTRecord(1232, 0, 0).toWire(Section.ADDITIONAL);
    byte[] glue = new Bytes().name("glue.test").u16(Type.A).u16(DClass.IN).u32(60).u16(4).raw(192, 0, 2, 7).done();

    byte[] wire = concat(plain, opt, glue);
    WireBytes.addToAdditionalCount(wire, 2);

    assertNotNull(new Message(wire), "dnsjava parses it");
    assertNull(ReusableWire.check(wire));
  }

  @Test
  void optRecordInTheAnswerSectionIsNotReusable() throws Exception {
    Message answer = answer(a(NAME, 300, "192.0.2.1"));
    byte[] wire = concat(answer.toWire(), new OPTRecord(1232, 0, 0).toWire(Section.ADDITIONAL));
    WireBytes.put16(wire, 6, 2); // counted as the second answer record

    assertNull(ReusableWire.check(wire));
  }

  @Test
  void twoOptRecordsAreNotReusable() throws Exception {
    byte[] opt = new OPTRecord(1232, 0, 0).toWire(Section.ADDITIONAL);
    byte[] wire = concat(answer(a(NAME, 300, "192.0.2.1")).toWire(), opt, opt);
    WireBytes.addToAdditionalCount(wire, 2);

    assertNull(ReusableWire.check(wire));
  }

  /** Header, question www.example.test/A at 12, then one A record whose owner is {@code owner}. */
  static byte[] withOwner(byte[] owner) {
    return concat(new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(1).u16(0).u16(0)
            .name("www.example.test").u16(Type.A).u16(DClass.IN).done(),
        owner, new Bytes().u16(Type.A).u16(DClass.IN).u32(300).u16(4).raw(192, 0, 2, 1).done());
  }

  @Test
  void ownerPointingBackToTheQuestionIsReusable() {
    byte[] wire = withOwner(new byte[] {(byte) 0xc0, 12});

    ReusableWire.Reusable reusable = ReusableWire.check(wire);

    assertNotNull(reusable);
    assertEquals(List.of(300L), ttlsAt(wire, reusable.ttlOffsets()));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2, 4, 11})
  void pointerIntoTheHeaderIsNotReusable(int target) {
    assertNull(ReusableWire.check(withOwner(new byte[] {(byte) 0xc0, (byte) target})));
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 14, 17})
  void pointerIntoTheMiddleOfALabelIsNotReusable(int target) {
    assertNull(ReusableWire.check(withOwner(new byte[] {(byte) 0xc0, (byte) target})));
  }

  @Test
  void forwardPointerIsNotReusable() throws Exception {
    // the first answer's owner points at the second answer's owner, written in full after it
    byte[] header = new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(2).u16(0).u16(0)
        .name("www.example.test").u16(Type.A).u16(DClass.IN).done();
    int secondOwner = header.length + 2 + 14;
    byte[] first = new Bytes().raw(0xc0, secondOwner).u16(Type.A).u16(DClass.IN).u32(300).u16(4).raw(192, 0, 2, 1)
        .done();
    byte[] second = new Bytes().name("fwd.test").u16(Type.A).u16(DClass.IN).u32(300).u16(4).raw(192, 0, 2, 2).done();
    byte[] wire = concat(header, first, second);
    assertNull(ReusableWire.check(wire));

    wire[header.length + 1] = 12; // the same bytes pointing back at the question instead
    assertNotNull(ReusableWire.check(wire));
  }

  @Test
  void rdataNamePointingIntoBinaryDataIsNotReusable() throws Exception {
    // a CNAME target pointing at the first answer's address bytes (a label-looking 4-byte span)
    byte[] header = new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(2).u16(0).u16(0)
        .name("www.example.test").u16(Type.A).u16(DClass.IN).done();
    byte[] first = new Bytes().raw(0xc0, 12).u16(Type.A).u16(DClass.IN).u32(300).u16(4).raw(2, 'a', 'b', 0).done();
    int address = header.length + first.length - 4;
    byte[] second = new Bytes().raw(0xc0, 12).u16(Type.CNAME).u16(DClass.IN).u32(300).u16(2).raw(0xc0, address)
        .done();
    byte[] wire = concat(header, first, second);

    assertNotNull(new Message(wire), "a legal message: the pointer leads to a well-formed name");
    assertNull(ReusableWire.check(wire));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 2})
  void messageWithoutExactlyOneQuestionIsNotReusable(int questions) throws Exception {
    byte[] wire = answer(a(NAME, 300, "192.0.2.1")).toWire();
    WireBytes.put16(wire, 4, questions);

    assertNull(ReusableWire.check(wire));
  }

  @Test
  void trailingBytesAreNotReusable() throws Exception {
    byte[] wire = answer(a(NAME, 300, "192.0.2.1")).toWire();

    assertNull(ReusableWire.check(Arrays.copyOf(wire, wire.length + 3)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 10})
  void bytesCutShortAreNotReusable(int cut) throws Exception {
    byte[] wire = answer(new MXRecord(NAME, DClass.IN, 300, 10, TARGET)).toWire();

    assertNull(ReusableWire.check(Arrays.copyOf(wire, wire.length - cut)));
  }

  @Test
  void serversIdleTimeoutIsReadAndOtherPerHopOptionsPass() throws Exception {
    Message answer = answer(a(NAME, 300, "192.0.2.1"));
    answer.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new TcpKeepaliveOption(300),
        new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[20]))), Section.ADDITIONAL);

    assertEquals(300, ReusableWire.check(answer.toWire()).idleTimeout());
    assertEquals(-1, ReusableWire.check(answer(a(NAME, 300, "192.0.2.1")).toWire()).idleTimeout());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {8, 16, 40})
  void cookiesOfTheLengthsDnsjavaReadsPass(int length) throws Exception {
    Message answer = answer(a(NAME, 300, "192.0.2.1"));
    answer.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new TcpKeepaliveOption(),
        new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[length]))), Section.ADDITIONAL);
    byte[] wire = answer.toWire();

    assertNotNull(new Message(wire));
    assertNotNull(ReusableWire.check(wire), length + "-byte cookie, empty keepalive");
  }

  @Test
  void emptyTxtRecordIsReusable() throws Exception {
    byte[] wire = concat(new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(1).u16(0).u16(0)
        .name("www.example.test").u16(Type.TXT).u16(DClass.IN).done(),
        new Bytes().raw(0xc0, 12).u16(Type.TXT).u16(DClass.IN).u32(300).u16(0).done());

    assertNotNull(new Message(wire), "dnsjava reads it: a TXT record without strings");
    assertEquals(List.of(300L), ttlsAt(wire, ReusableWire.check(wire).ttlOffsets()));
  }

  static Stream<Arguments> optRecordsThatMustBeParsed() throws Exception {
    return Stream.of(
        Arguments.of("an end-to-end option", new OPTRecord(1232, 0, 0, 0,
            List.of(new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0"))))),
        Arguments.of("an extended rcode", new OPTRecord(1232, 1, 0, 0)),
        Arguments.of("a keepalive option of the wrong length", new OPTRecord(1232, 0, 0, 0,
            List.of(new GenericEDNSOption(EDNSOption.Code.TCP_KEEPALIVE, new byte[1])))),
        Arguments.of("a cookie of the wrong length", new OPTRecord(1232, 0, 0, 0,
            List.of(new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[9])))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optRecordsThatMustBeParsed")
  void answerWithMoreThanPerHopEdnsIsNotReusable(String kind, OPTRecord opt) throws Exception {
    Message answer = answer(a(NAME, 300, "192.0.2.1"));
    answer.addRecord(opt, Section.ADDITIONAL);

    assertNull(ReusableWire.check(answer.toWire()), kind);
  }

  @Test
  void smallestTtlAndTheAuthoritySoasNegativeTtlAreFound() throws Exception {
    Message answer = answer(Type.MX, List.of(new MXRecord(NAME, DClass.IN, 313, 10, TARGET)),
        List.of(new NSRecord(ZONE, DClass.IN, 214, TARGET)), List.of(a(TARGET, 415, "192.0.2.9")));
    assertEquals(214, ReusableWire.check(answer.toWire()).minTtl());
    assertEquals(-1, ReusableWire.check(answer.toWire()).negativeTtl(), "no SOA in the authority section");

    Message nxdomain = answer(Type.A, List.of(), List.of(soa(311)), List.of());
    assertEquals(300, ReusableWire.check(nxdomain.toWire()).negativeTtl(), "the SOA's minimum, below its TTL");
    assertEquals(-1, ReusableWire.check(answer(soa(312)).toWire()).negativeTtl(), "an SOA answer is not negative");
  }

  static Stream<Arguments> malformedRdata() {
    return Stream.of(
        Arguments.of("A of 3 bytes", Type.A, new byte[] {(byte) 192, 0, 2}),
        Arguments.of("AAAA of 4 bytes", Type.AAAA, new byte[] {32, 1, 13, (byte) 184}),
        Arguments.of("TXT string past its end", Type.TXT, new byte[] {5, 'a', 'b'}),
        Arguments.of("MX without its name", Type.MX, new byte[] {0, 10}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRdata")
  void recordDataOfTheWrongShapeIsNotReusable(String kind, int type, byte[] rdata) {
    byte[] wire = concat(new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(1).u16(0).u16(0)
        .name("www.example.test").u16(type).u16(DClass.IN).done(),
        new Bytes().raw(0xc0, 12).u16(type).u16(DClass.IN).u32(300).u16(rdata.length).done(), rdata);

    assertNull(ReusableWire.check(wire), kind);
  }

  @Test
  void nameLongerThan255BytesThroughAPointerIsNotReusable() throws Exception {
    String label = "a".repeat(63);
    String long250 = label + "." + label + "." + label + "." + "b".repeat(57); // 251 bytes with the root
    byte[] header = new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(1).u16(0).u16(0)
        .name(long250).u16(Type.A).u16(DClass.IN).done();
    // the owner: a 5-byte label, then a pointer to the 251-byte question name: 256 bytes in all
    byte[] tooLong = concat(header, new Bytes().raw(4, 'x', 'x', 'x', 'x', 0xc0, 12).u16(Type.A).u16(DClass.IN).u32(300)
        .u16(4).raw(192, 0, 2, 1).done());
    byte[] justRight = concat(header, new Bytes().raw(3, 'x', 'x', 'x', 0xc0, 12).u16(Type.A).u16(DClass.IN).u32(300)
        .u16(4).raw(192, 0, 2, 1).done());

    assertNull(ReusableWire.check(tooLong));
    assertNotNull(ReusableWire.check(justRight));
    assertNotNull(new Message(justRight), "255 bytes: dnsjava reads it too");
  }

  @Test
  void pointerIntoTheNameBeingWalkedIsNotReusableAndEnds() {
    // the question's second label points back at the question itself: a loop (dnsjava: name too long)
    byte[] loopedQuestion = new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(0).u16(0).u16(0)
        .raw(1, 'a', 0xc0, 12).u16(Type.A).u16(DClass.IN).done();
    // a CNAME whose target's second label points at the target's own first label
    byte[] header = new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(1).u16(0).u16(0)
        .name("www.example.test").u16(Type.CNAME).u16(DClass.IN).done();
    int rdata = header.length + 2 + 10;
    byte[] loopedTarget = concat(header,
        new Bytes().raw(0xc0, 12).u16(Type.CNAME).u16(DClass.IN).u32(300).u16(4).raw(1, 'b', 0xc0, rdata).done());

    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      assertNull(ReusableWire.check(loopedQuestion));
      assertNull(ReusableWire.check(loopedTarget));
    });
  }

  @Test
  void answerToAnUpdateIsNotReusable() throws Exception {
    byte[] wire = answer(new TXTRecord(NAME, DClass.IN, 300, "x")).toWire();
    assertNotNull(ReusableWire.check(wire));

    wire[2] |= (byte) (Opcode.UPDATE << 3);

    assertNull(ReusableWire.check(wire), "dnsjava reads an UPDATE's records differently");
  }

  @Test
  void countsTheBytesCannotHoldAreNotReusable() {
    byte[] wire = new Bytes().u16(0x2222).u16(0x8180).u16(1).u16(0xffff).u16(0xffff).u16(0xffff)
        .name("www.example.test").u16(Type.A).u16(DClass.IN).done();

    assertNull(ReusableWire.check(wire));
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Hand-made wire bytes, for what dnsjava would never encode. */
  static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u16(int v) {
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Bytes u32(long v) {
      return u16((int) (v >>> 16)).u16((int) v);
    }

    Bytes raw(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    /** An uncompressed name from dotted text, root label included. */
    Bytes name(String dotted) {
      for (String label : dotted.split("\\.")) {
        out.write(label.length());
        out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      out.write(0);
      return this;
    }

    byte[] done() {
      return out.toByteArray();
    }
  }
}
