package dev.dnsgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** One upstream exchange per key in flight, shared by every identical query; nothing kept afterwards. */
class CoalescerTest {

  static final CacheKey KEY = key("www.example.test.", Type.A, false, "default");

  static CacheKey key(String name, int type, boolean dnssecOk, String group) {
    return new CacheKey(Name.fromConstantString(name), type, DClass.IN, dnssecOk, false, group);
  }

  final Coalescer<String> coalescer = new Coalescer<>();
  /** Every exchange started, in order; the test completes them. */
  final List<CompletableFuture<String>> exchanges = new ArrayList<>();

  final Supplier<CompletableFuture<String>> upstream = () -> {
    CompletableFuture<String> exchange = new CompletableFuture<>();
    exchanges.add(exchange);
    return exchange;
  };

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 50})
  void identicalQueriesInFlightShareOneExchange(int queries) throws Exception {
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (int i = 0; i < queries; i++) {
      answers.add(coalescer.resolve(key("WWW.example.TEST.", Type.A, false, "default"), upstream));
    }

    assertEquals(1, exchanges.size());
    assertTrue(answers.stream().noneMatch(CompletableFuture::isDone));
    String answer = "answer";
    exchanges.get(0).complete(answer);
    for (CompletableFuture<String> a : answers) {
      assertSame(answer, a.get(), "every joiner gets the one result");
    }
    assertEquals(queries - 1, coalescer.joinedQueries());
  }

  @Test
  void queriesThatDifferInTypeDoOrGroupGoUpstreamSeparately() {
    coalescer.resolve(KEY, upstream);
    coalescer.resolve(key("www.example.test.", Type.AAAA, false, "default"), upstream);
    coalescer.resolve(key("www.example.test.", Type.A, true, "default"), upstream);
    coalescer.resolve(key("www.example.test.", Type.A, false, "corp"), upstream);
    coalescer.resolve(key("other.example.test.", Type.A, false, "default"), upstream);

    assertEquals(5, exchanges.size());
    assertEquals(0, coalescer.joinedQueries());
  }

  @Test
  void queryAfterCompletionStartsANewExchange() throws Exception {
    CompletableFuture<String> first = coalescer.resolve(KEY, upstream);
    exchanges.get(0).complete("old");
    assertEquals("old", first.get());

    CompletableFuture<String> second = coalescer.resolve(KEY, upstream);

    assertEquals(2, exchanges.size());
    assertFalse(second.isDone());
    exchanges.get(1).complete("new");
    assertEquals("new", second.get());
    assertEquals(0, coalescer.joinedQueries());
  }

  @Test
  void exchangeCompletedAtOnceLeavesNothingInFlight() throws Exception {
    Supplier<CompletableFuture<String>> instant = () -> {
      exchanges.add(null);
      return CompletableFuture.completedFuture("now");
    };

    assertEquals("now", coalescer.resolve(KEY, instant).get());
    assertEquals("now", coalescer.resolve(KEY, instant).get());

    assertEquals(2, exchanges.size());
    assertEquals(0, coalescer.joinedQueries());
  }

  @Test
  void failureIsSharedByAllJoinersAndNotKept() throws Exception {
    CompletableFuture<String> leader = coalescer.resolve(KEY, upstream);
    CompletableFuture<String> joiner = coalescer.resolve(KEY, upstream);
    IllegalStateException failure = new IllegalStateException("upstream down");

    exchanges.get(0).completeExceptionally(failure);

    for (CompletableFuture<String> f : List.of(leader, joiner)) {
      ExecutionException e = assertThrows(ExecutionException.class, f::get);
      assertSame(failure, e.getCause());
    }
    CompletableFuture<String> retry = coalescer.resolve(KEY, upstream);
    assertEquals(2, exchanges.size(), "a failure is not cached: the next query asks again");
    exchanges.get(1).complete("recovered");
    assertEquals("recovered", retry.get());
    assertEquals(1, coalescer.joinedQueries());
  }

  @Test
  void joinedQueriesCountsOnlyJoinersAcrossKeysAndRounds() {
    CacheKey other = key("other.example.test.", Type.A, false, "default");
    for (int i = 0; i < 4; i++) {
      coalescer.resolve(KEY, upstream);
    }
    for (int i = 0; i < 3; i++) {
      coalescer.resolve(other, upstream);
    }
    exchanges.forEach(e -> e.complete("done"));
    for (int i = 0; i < 2; i++) {
      coalescer.resolve(KEY, upstream);
    }

    assertEquals(3, exchanges.size());
    assertEquals(3 + 2 + 1, coalescer.joinedQueries());
  }

  @Test
  void supplierThatThrowsDoesNotWedgeItsKey() throws Exception {
    // an Upstream (or a wrapper of one) that throws instead of returning a failed future must fail
    // this query only: a key left in flight would make every later identical query wait forever
    try {
      CompletableFuture<String> failed = coalescer.resolve(KEY, () -> {
        throw new IllegalStateException("thrown, not returned");
      });
      assertTrue(failed.isCompletedExceptionally());
    } catch (IllegalStateException thrownToTheCaller) {
      // also acceptable: the caller learns of it at once
    }

    CompletableFuture<String> next = coalescer.resolve(KEY, upstream);

    assertEquals(1, exchanges.size(), "the next identical query goes upstream");
    exchanges.get(0).complete("answer");
    assertEquals("answer", next.get());
  }
}
