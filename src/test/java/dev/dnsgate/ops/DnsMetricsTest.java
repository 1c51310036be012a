package dev.dnsgate.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.AnswerSource;
import dev.dnsgate.resolve.QueryObserver;
import dev.dnsgate.testing.Meters;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.Transport;
import dev.dnsgate.testing.Queries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The per-query meters as /q/metrics shows them, for every transport, answer source and drop reason. */
class DnsMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final QueryObserver metrics = new DnsMetrics(registry);

  static QueryContext query(int type, Transport transport) {
    return Queries.context(Message.newQuery(
        Record.newRecord(Name.fromConstantString("www.example.test."), type, DClass.IN)), transport);
  }

  double queries(Transport transport, String type, String rcode, AnswerSource source) {
    Counter counter = registry.find("dnsgate.queries").tags("transport", transport.name().toLowerCase(),
        "type", type, "rcode", rcode, "source", source.label()).counter();
    return counter == null ? 0 : counter.count();
  }

  Timer duration(Transport transport) {
    return registry.get("dnsgate.query.duration").tag("transport", transport.name().toLowerCase()).timer();
  }

  @Test
  void everyTransportAndEverySourceCountsExactlyOneQueryAndRecordsItsTime() {
    long answered = 0;
    for (Transport transport : Transport.values()) {
      QueryContext ctx = query(Type.A, transport);
      for (AnswerSource source : AnswerSource.values()) {
        for (int rcode : new int[] {Rcode.NOERROR, Rcode.SERVFAIL, Rcode.NXDOMAIN, Rcode.REFUSED, Rcode.BADCOOKIE}) {
          long timed = duration(transport).count();
          double before = queries(transport, "A", Rcode.string(rcode), source);

          metrics.answered(ctx, Answer.ready(new byte[0], rcode, source, "test"), 1_500_000);
          answered++;

          String what = transport + "/" + source + "/" + Rcode.string(rcode);
          assertEquals(before + 1, queries(transport, "A", Rcode.string(rcode), source), what);
          assertEquals(timed + 1, duration(transport).count(), what);
          assertEquals(answered, Meters.value(registry, "dnsgate.queries"), "one count per answer, " + what);
        }
      }
    }
    for (Transport transport : Transport.values()) {
      long perTransport = AnswerSource.values().length * 5L;
      assertEquals(perTransport, duration(transport).count());
      assertEquals(perTransport * 1.5, duration(transport).totalTime(TimeUnit.MILLISECONDS), 1e-6);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1, A", "28, AAAA", "65, HTTPS", "255, ANY", "35, NAPTR", "13, other", "65280, other", "99, other"
  })
  void queryTypeLabelIsNamedOrOther(int type, String label) {
    for (Transport transport : Transport.values()) {
      metrics.answered(query(type, transport), Answer.ready(new byte[0], Rcode.NOERROR, AnswerSource.UPSTREAM, ""), 1);

      assertEquals(1, queries(transport, label, "NOERROR", AnswerSource.UPSTREAM), transport + " " + type);
    }
  }

  @ParameterizedTest
  @CsvSource({"0, NOERROR", "2, SERVFAIL", "16, BADVERS", "23, BADCOOKIE", "24, other", "4095, other"})
  void rcodeLabelIsNamedUpTo23AndOtherBeyond(int rcode, String label) {
    for (Transport transport : Transport.values()) {
      metrics.answered(query(Type.A, transport), Answer.ready(new byte[0], rcode, AnswerSource.CACHE, ""), 1);
      metrics.answered(query(Type.A, transport), Answer.ready(new byte[0], rcode, AnswerSource.CACHE, ""), 1);

      assertEquals(2, queries(transport, "A", label, AnswerSource.CACHE), transport + " rcode " + rcode);
    }
  }

  double dropped(QueryObserver.Drop reason) {
    return registry.get("dnsgate.packets.dropped").tag("reason", reason.label()).counter().count();
  }

  @Test
  void everyDropReasonHasItsOwnCounter() {
    QueryObserver.Drop[] reasons = QueryObserver.Drop.values();
    for (int i = 0; i < reasons.length; i++) {
      for (int n = 0; n <= i; n++) {
        metrics.dropped(reasons[i]);
      }
    }

    for (int i = 0; i < reasons.length; i++) {
      assertEquals(i + 1, dropped(reasons[i]), reasons[i].label());
    }
    assertEquals(0, Meters.value(registry, "dnsgate.queries"), "a drop is no answer");
    assertEquals(0, Meters.value(registry, "dnsgate.packets.malformed"));
  }

  @Test
  void malformedQueriesAreCounted() {
    assertEquals(0, Meters.value(registry, "dnsgate.packets.malformed"), "registered before the first one");

    metrics.malformed();
    metrics.malformed();
    metrics.malformed();

    assertEquals(3, Meters.value(registry, "dnsgate.packets.malformed"));
    assertEquals(0, Meters.value(registry, "dnsgate.packets.dropped"));
  }
}
