package dev.dnsgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/** RFC 7828: how long a connection may idle by what its server said last, a second short of it. */
class ServerIdleTimeoutTest {

  static final long DEFAULT = Duration.ofSeconds(8).toNanos();

  /** An answer as PendingQueries makes it: unparsed, as these bytes can be vouched for. */
  static UpstreamAnswer answer(EDNSOption... options) {
    Message answer = new Message(0);
    answer.getHeader().setFlag(Flags.QR);
    answer.addRecord(Record.newRecord(Name.fromConstantString("example.test."), Type.A, DClass.IN), Section.QUESTION);
    answer.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(options)), Section.ADDITIONAL);
    UpstreamAnswer received = UpstreamAnswer.received(answer.toWire());
    assertNotNull(received.reusable(), "vouched for, so not parsed");
    return received;
  }

  @Test
  void parsedAnswerSaysTheSameAsUnparsedBytes() {
    ServerIdleTimeout idle = new ServerIdleTimeout();
    UpstreamAnswer unparsed = answer(new TcpKeepaliveOption(100));
    idle.answered(new UpstreamAnswer(unparsed.message(), unparsed.wire()));

    assertEquals(Duration.ofSeconds(9).toNanos(), idle.allowedNanos(DEFAULT));
  }

  @Test
  void withoutATimeoutFromTheServerTheDefaultApplies() {
    ServerIdleTimeout idle = new ServerIdleTimeout();
    assertEquals(DEFAULT, idle.allowedNanos(DEFAULT));

    idle.answered(answer());
    assertEquals(DEFAULT, idle.allowedNanos(DEFAULT), "an answer without the option says nothing");
  }

  @Test
  void serversTimeoutLessASecondAndTheNewestWins() {
    ServerIdleTimeout idle = new ServerIdleTimeout();
    idle.answered(answer(new TcpKeepaliveOption(100))); // units of 100 ms: 10 s
    assertEquals(Duration.ofSeconds(9).toNanos(), idle.allowedNanos(DEFAULT));

    idle.answered(answer(new TcpKeepaliveOption(300)));
    assertEquals(Duration.ofSeconds(29).toNanos(), idle.allowedNanos(DEFAULT));

    idle.answered(answer());
    assertEquals(Duration.ofSeconds(29).toNanos(), idle.allowedNanos(DEFAULT), "kept until the server says again");
  }

  @Test
  void shortTimeoutIsHalvedRatherThanCutToNothing() {
    ServerIdleTimeout idle = new ServerIdleTimeout();
    idle.answered(answer(new TcpKeepaliveOption(15))); // 1.5 s

    assertEquals(Duration.ofMillis(750).toNanos(), idle.allowedNanos(DEFAULT));
  }
}
