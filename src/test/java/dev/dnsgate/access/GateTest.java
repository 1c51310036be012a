package dev.dnsgate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.access.Gate.Admission;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.config.DnsgateConfig.Access.AnyQueries;
import dev.dnsgate.config.DnsgateConfig.Access.DeniedAction;
import dev.dnsgate.config.DnsgateConfig.Access.RateLimit.LimitAction;
import dev.dnsgate.wire.Decoded;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.QueryDecoder;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.Transport;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The gate in front of the pipeline: allow list, UDP rate limit, RFC 8482 ANY; on a virtual clock. */
class GateTest {

  static final Name NAME = Name.fromConstantString("www.example.test.");
  static final List<String> PRIVATE = List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8", "fd00::/8");
  static final ResponseShaper SHAPER = new ResponseShaper(1232);
  static final QueryDecoder DECODER = new QueryDecoder(1232, SHAPER);

  long now = 5_000_000_000L;

  record Rate(int qps, int burst, LimitAction action, List<String> exempt, int maxTracked)
      implements DnsgateConfig.Access.RateLimit {}

  record Access(List<String> allow, DeniedAction denied, Rate rateLimit, AnyQueries any)
      implements DnsgateConfig.Access {}

  static Access access(DeniedAction denied, AnyQueries any, Rate rate) {
    return new Access(PRIVATE, denied, rate, any);
  }

  static Rate rate(int qps, int burst, LimitAction action, String... exempt) {
    return new Rate(qps, burst, action, List.of(exempt), 1000);
  }

  static final Rate UNLIMITED = rate(0, 0, LimitAction.TRUNCATE);

  Gate gate(Access config) {
    return new Gate(config, () -> now);
  }

  static QueryContext query(String client, Transport transport, int type) throws Exception {
    Message query = Message.newQuery(Record.newRecord(NAME, type, DClass.IN));
    Decoded decoded = DECODER.decode(query.toWire(), transport, InetAddress.getByName(client));
    return ((Decoded.Query) decoded).context();
  }

  static QueryContext query(String client) throws Exception {
    return query(client, Transport.UDP, Type.A);
  }

  @ParameterizedTest
  @CsvSource({"REFUSE, 192.0.2.1, REFUSED", "DROP, 192.0.2.1, DROP_DENIED", "REFUSE, 2001:db8::1, REFUSED",
      "DROP, 2001:db8::1, DROP_DENIED", "REFUSE, 11.0.0.1, REFUSED", "DROP, fe00::1, DROP_DENIED"})
  void clientOutsideAllowListIsRefusedOrDroppedAsConfigured(DeniedAction denied, String client, Admission expected)
      throws Exception {
    Gate gate = gate(access(denied, AnyQueries.MINIMAL, UNLIMITED));

    assertEquals(expected, gate.check(query(client)));
    assertEquals(expected, gate.check(query(client, Transport.TCP, Type.A)), "over TCP too");
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1", "127.255.255.254", "10.1.2.3", "::1", "fd12:3456::1"})
  void clientInsideAllowListPasses(String client) throws Exception {
    Gate gate = gate(access(DeniedAction.REFUSE, AnyQueries.MINIMAL, UNLIMITED));

    assertEquals(Admission.PASS, gate.check(query(client)));
  }

  @ParameterizedTest
  @CsvSource({"TRUNCATE, TRUNCATED", "DROP, DROP_LIMITED"})
  void udpClientOverItsRateIsTruncatedOrDroppedAsConfigured(LimitAction action, Admission expected) throws Exception {
    Gate gate = gate(access(DeniedAction.REFUSE, AnyQueries.MINIMAL, rate(10, 3, action)));

    for (int i = 0; i < 3; i++) {
      assertEquals(Admission.PASS, gate.check(query("10.0.0.1")), "within the burst, query " + i);
    }
    assertEquals(expected, gate.check(query("10.0.0.1")));
    assertEquals(expected, gate.check(query("10.0.0.77")), "the whole /24 shares one bucket");
    assertEquals(Admission.PASS, gate.check(query("10.0.1.1")), "another /24 has its own");

    now += TimeUnit.MILLISECONDS.toNanos(100); // 10 qps: one token back
    assertEquals(Admission.PASS, gate.check(query("10.0.0.1")));
    assertEquals(expected, gate.check(query("10.0.0.1")));
  }

  @Test
  void tcpIsNeverRateLimited() throws Exception {
    Gate gate = gate(access(DeniedAction.REFUSE, AnyQueries.MINIMAL, rate(1, 1, LimitAction.DROP)));

    assertEquals(Admission.PASS, gate.check(query("10.0.0.1")));
    assertEquals(Admission.DROP_LIMITED, gate.check(query("10.0.0.1")));
    for (int i = 0; i < 100; i++) {
      assertEquals(Admission.PASS, gate.check(query("10.0.0.1", Transport.TCP, Type.A)), "TCP query " + i);
    }
  }

  @Test
  void exemptNetworkIsNeverRateLimited() throws Exception {
    Gate gate = gate(access(DeniedAction.REFUSE, AnyQueries.MINIMAL, rate(1, 1, LimitAction.DROP, "10.9.0.0/16")));

    for (int i = 0; i < 100; i++) {
      assertEquals(Admission.PASS, gate.check(query("10.9.8.7")), "query " + i);
    }
    assertEquals(Admission.PASS, gate.check(query("10.8.0.1")));
    assertEquals(Admission.DROP_LIMITED, gate.check(query("10.8.0.1")), "outside the exempt network");
  }

  @Test
  void deniedClientSpendsNoRateTokens() throws Exception {
    // the allow check runs first: refusing a stranger must not cost anyone's bucket
    Gate gate = gate(new Access(List.of("10.0.0.0/24"), DeniedAction.REFUSE, rate(1, 1, LimitAction.DROP),
        AnyQueries.MINIMAL));

    assertEquals(Admission.REFUSED, gate.check(query("10.0.1.1")));
    assertEquals(Admission.PASS, gate.check(query("10.0.0.1")));
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void anyQueryGetsMinimalAnswerWhenConfigured(Transport transport) throws Exception {
    Gate minimal = gate(access(DeniedAction.REFUSE, AnyQueries.MINIMAL, UNLIMITED));
    Gate forward = gate(access(DeniedAction.REFUSE, AnyQueries.FORWARD, UNLIMITED));

    assertEquals(Admission.ANY_MINIMAL, minimal.check(query("127.0.0.1", transport, Type.ANY)));
    assertEquals(Admission.PASS, minimal.check(query("127.0.0.1", transport, Type.TXT)));
    assertEquals(Admission.PASS, forward.check(query("127.0.0.1", transport, Type.ANY)));
  }

  @Test
  void anyQueryFromDeniedClientIsStillRefused() throws Exception {
    Gate gate = gate(access(DeniedAction.REFUSE, AnyQueries.MINIMAL, UNLIMITED));

    assertEquals(Admission.REFUSED, gate.check(query("192.0.2.1", Transport.UDP, Type.ANY)));
  }

  @Test
  void malformedAllowEntryNamesTheSetting() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gate(new Access(
        List.of("10.0.0.0/33"), DeniedAction.REFUSE, UNLIMITED, AnyQueries.MINIMAL)));

    assertTrue(e.getMessage().startsWith("dnsgate.access: "), e.getMessage());
    assertTrue(e.getMessage().contains("10.0.0.0/33"), e.getMessage());
  }

  static Message parse(QueryContext ctx, Admission admission) throws Exception {
    return new Message(SHAPER.shape(Gate.answer(admission, ctx), ctx, null));
  }

  @Test
  void refusedAnswerIsRefusedWithTheClientsId() throws Exception {
    QueryContext ctx = query("192.0.2.1");
    Message reply = parse(ctx, Admission.REFUSED);

    assertEquals(Rcode.REFUSED, reply.getRcode());
    assertEquals(ctx.id(), reply.getHeader().getID());
    assertTrue(reply.getHeader().getFlag(Flags.QR));
    assertEquals(ctx.question(), reply.getQuestion());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void truncatedAnswerIsEmptyWithTcSet() throws Exception {
    QueryContext ctx = query("10.0.0.1");
    Message reply = parse(ctx, Admission.TRUNCATED);

    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertTrue(reply.getHeader().getFlag(Flags.TC));
    assertEquals(ctx.question(), reply.getQuestion());
    assertTrue(reply.getSection(Section.ANSWER).isEmpty());
    assertTrue(reply.getSection(Section.AUTHORITY).isEmpty());
  }

  @Test
  void minimalAnyAnswerIsTheRfc8482Hinfo() throws Exception {
    QueryContext ctx = query("127.0.0.1", Transport.UDP, Type.ANY);
    Message reply = parse(ctx, Admission.ANY_MINIMAL);

    assertEquals(Rcode.NOERROR, reply.getRcode());
    assertTrue(!reply.getHeader().getFlag(Flags.TC));
    List<Record> answers = reply.getSection(Section.ANSWER);
    assertEquals(1, answers.size());
    HINFORecord hinfo = (HINFORecord) answers.get(0);
    assertEquals(NAME, hinfo.getName());
    assertEquals(DClass.IN, hinfo.getDClass());
    assertEquals(Gate.ANY_TTL, hinfo.getTTL());
    assertEquals(3600, hinfo.getTTL());
    assertEquals("RFC8482", hinfo.getCPU());
    assertEquals("", hinfo.getOS());
  }

  @ParameterizedTest
  @EnumSource(value = Admission.class, names = {"PASS", "DROP_DENIED", "DROP_LIMITED"})
  void admissionsWithoutAnAnswerHaveNone(Admission admission) throws Exception {
    QueryContext ctx = query("127.0.0.1");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gate.answer(admission, ctx));
    assertNotNull(e.getMessage());
  }
}
