package dev.dnsgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Answers matched to queries by ID and question; deadlines on a virtual clock (nanos passed in). */
class PendingQueriesTest {

  final PendingQueries pending = new PendingQueries();
  final List<String> discarded = new ArrayList<>();
  final List<Message> matched = new ArrayList<>();
  final PendingQueries.Arrival arrival = new PendingQueries.Arrival() {
    @Override
    public void matched(UpstreamAnswer answer) {
      matched.add(answer.message());
    }

    @Override
    public void discarded(String reason) {
      discarded.add(reason);
    }
  };

  static OutboundQuery query(String name) {
    return OutboundQuery.of(Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN)), false);
  }

  static byte[] answer(int id, String name) {
    Message answer = new Message(id);
    answer.getHeader().setFlag(Flags.QR);
    answer.addRecord(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN), Section.QUESTION);
    return answer.toWire();
  }

  @Test
  void answerWithOutstandingIdAndSameQuestionCompletesItsQuery() throws Exception {
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    int id = pending.add(query("a.example.test."), result, 1_000);

    pending.answer(answer(id, "A.EXAMPLE.test."), new PendingQueries.Arrival() {
      @Override
      public void matched(UpstreamAnswer answer) {
        assertFalse(result.isDone(), "told before the query completes");
        PendingQueriesTest.this.matched.add(answer.message());
      }

      @Override
      public void discarded(String reason) {
        discarded.add(reason);
      }
    });

    assertEquals(1, matched.size(), "names compare case-insensitively");
    assertEquals(id, result.get().message().getHeader().getID());
    assertTrue(discarded.isEmpty());
    assertTrue(pending.isEmpty());
  }

  @Test
  void answerToAnotherQuestionIsDiscardedAndTheQueryStaysOutstanding() {
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    int id = pending.add(query("a.example.test."), result, 1_000);

    pending.answer(answer(id, "b.example.test."), arrival);

    assertEquals(List.of("answer to a different question"), discarded);
    assertFalse(result.isDone());
    assertEquals(1, pending.size());
  }

  @ParameterizedTest(name = "parsed first: {0}")
  @ValueSource(booleans = {false, true})
  void answerEchoingAnotherTypeIsDiscardedWhetherParsedOrNot(boolean parsed) throws Exception {
    Name name = Name.fromConstantString("a.example.test.");
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    // HTTPS is type 65, 'A' in ASCII: a name comparison that folds case must not fold it into 97, 'a'
    int id = pending.add(OutboundQuery.of(Message.newQuery(Record.newRecord(name, Type.HTTPS, DClass.IN)), false),
        result, 1_000);
    Message answer = new Message(id);
    answer.getHeader().setFlag(Flags.QR);
    answer.addRecord(Record.newRecord(name, 97, DClass.IN), Section.QUESTION);
    if (parsed) { // a record of a type ReusableWire leaves to dnsjava
      answer.addRecord(new HINFORecord(name, DClass.IN, 60, "cpu", "os"), Section.ANSWER);
    }

    pending.answer(answer.toWire(), arrival);

    assertEquals(List.of("answer to a different question"), discarded);
    assertFalse(result.isDone());
  }

  @Test
  void unknownIdShortAndUnparseableAnswersAreDiscardedWithTheirReason() {
    int id = pending.add(query("a.example.test."), new CompletableFuture<>(), 1_000);
    byte[] garbage = answer(id, "a.example.test.");
    garbage[5] = 9; // nine questions announced, one present

    pending.answer(answer((id + 1) & 0xffff, "a.example.test."), arrival);
    pending.answer(new byte[] {1, 2, 3}, arrival);
    pending.answer(garbage, arrival);

    assertEquals(List.of("answer with an ID not outstanding", "answer shorter than a header", "unparseable answer"),
        discarded);
    assertTrue(matched.isEmpty());
    assertEquals(1, pending.size());
  }

  @Test
  void queriesPastTheirDeadlineTimeOutAndOthersWait() {
    CompletableFuture<UpstreamAnswer> early = new CompletableFuture<>();
    CompletableFuture<UpstreamAnswer> late = new CompletableFuture<>();
    pending.add(query("a.example.test."), early, 100);
    pending.add(query("b.example.test."), late, 200);

    assertEquals(0, pending.expire(99));
    assertEquals(1, pending.expire(100));

    ExecutionException timeout = assertThrows(ExecutionException.class, early::get);
    assertEquals(UpstreamException.Kind.TIMEOUT, UpstreamException.of(timeout.getCause()).kind());
    assertFalse(late.isDone());
  }

  @Test
  void lateAnswerAfterTimeoutChangesNothing() {
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    int id = pending.add(query("a.example.test."), result, 100);
    pending.expire(100);

    pending.answer(answer(id, "a.example.test."), arrival);

    assertTrue(result.isCompletedExceptionally());
    assertEquals(List.of("answer with an ID not outstanding"), discarded);
  }

  @Test
  void closingFailsEveryOutstandingQueryWithTheGivenError() {
    List<CompletableFuture<UpstreamAnswer>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
      results.add(result);
      pending.add(query("q" + i + ".example.test."), result, 1_000);
    }
    UpstreamException closed = new UpstreamException(UpstreamException.Kind.CLOSED, "closed");

    pending.failAll(closed);

    for (CompletableFuture<UpstreamAnswer> result : results) {
      assertSame(closed, result.handle((a, e) -> e).join());
    }
    assertTrue(pending.isEmpty());
  }

  @Test
  void outstandingQueriesNeverShareAnId() {
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      ids.add(pending.add(query("a.example.test."), new CompletableFuture<>(), 1_000));
    }
    assertEquals(5_000, ids.size());
  }
}
