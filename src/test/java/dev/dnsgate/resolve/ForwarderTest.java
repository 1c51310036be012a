package dev.dnsgate.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.testing.Queries;
import dev.dnsgate.upstream.OutboundQuery;
import dev.dnsgate.upstream.Upstream;
import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.upstream.UpstreamException;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.ResponseShaper;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Cache, serve-stale and prefetch in front of a scripted upstream, on a virtual clock: no sleeping. */
class ForwarderTest {

  static final Name NAME = Name.fromConstantString("www.example.test.");
  static final String GROUP = "default";
  static final ResponseShaper SHAPER = new ResponseShaper(1232);

  long now = 1_000_000_000L;

  /** An upstream whose exchanges stay open until the test answers or fails them. */
  static final class ScriptedUpstream implements Upstream {
    final List<OutboundQuery> asked = new ArrayList<>();
    final List<CompletableFuture<UpstreamAnswer>> exchanges = new ArrayList<>();

    @Override
    public CompletableFuture<UpstreamAnswer> resolve(OutboundQuery query) {
      asked.add(query);
      CompletableFuture<UpstreamAnswer> exchange = new CompletableFuture<>();
      exchanges.add(exchange);
      return exchange;
    }

    @Override
    public boolean padding() {
      return false;
    }

    /** Answers exchange {@code i} with one A record, as received: bytes and parsed message. */
    void answer(int i, String address, long ttl) throws Exception {
      Message m = new Message(0);
      m.getHeader().setFlag(Flags.QR);
      m.getHeader().setFlag(Flags.RA);
      m.addRecord(asked.get(i).question(), Section.QUESTION);
      m.addRecord(new ARecord(NAME, DClass.IN, ttl, InetAddress.getByName(address)), Section.ANSWER);
      byte[] wire = m.toWire();
      exchanges.get(i).complete(new UpstreamAnswer(new Message(wire), wire));
    }

    void fail(int i) {
      exchanges.get(i).completeExceptionally(new UpstreamException(UpstreamException.Kind.TIMEOUT, "no answer in 2s"));
    }
  }

  final ScriptedUpstream upstream = new ScriptedUpstream();

  Forwarder forwarder(boolean serveStale) {
    AnswerCache cache = new AnswerCache(new AnswerCache.CacheSettings(1000, 1 << 20, 0, 86400,
        Duration.ofSeconds(5), serveStale, Duration.ofHours(1), true), () -> now);
    return new Forwarder(Map.of(GROUP, upstream), cache, true, SHAPER);
  }

  void advance(long seconds) {
    now += TimeUnit.SECONDS.toNanos(seconds);
  }

  static QueryContext client(boolean edns) {
    Message query = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
    if (edns) {
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return Queries.context(query);
  }

  static CompletableFuture<Answer> ask(Forwarder forwarder) {
    QueryContext ctx = client(false);
    return forwarder.answer(GROUP, new RuleQuery(NAME, Type.A, DClass.IN, ctx.client()), ctx);
  }

  /** The answer as the client receives it: the ready bytes, or the message shaped for it. */
  static Message received(Answer answer, QueryContext ctx) throws Exception {
    return new Message(answer.wire() != null ? answer.wire() : SHAPER.shape(answer.message(), ctx, answer.ede()));
  }

  static Message received(Answer answer) throws Exception {
    return received(answer, client(false));
  }

  static ARecord onlyA(Message m) {
    List<Record> answers = m.getSection(Section.ANSWER);
    assertEquals(1, answers.size(), m.toString());
    return (ARecord) answers.get(0);
  }

  static Answer done(CompletableFuture<Answer> future) throws Exception {
    assertTrue(future.isDone(), "answered without waiting for an upstream");
    return future.get();
  }

  /** Fetches the name once: a miss, answered by exchange {@code i}. */
  Answer fill(Forwarder forwarder, int i, String address, long ttl) throws Exception {
    CompletableFuture<Answer> miss = ask(forwarder);
    assertFalse(miss.isDone());
    upstream.answer(i, address, ttl);
    Answer answer = done(miss);
    assertEquals(AnswerSource.UPSTREAM, answer.source());
    return answer;
  }

  static int edeCode(EDNSOption ede) {
    assertNotNull(ede, "an Extended DNS Error");
    return ((ExtendedErrorCodeOption) ede).getErrorCode();
  }

  @Test
  void missGoesUpstreamAndTheNextQueryIsAnsweredFromCache() throws Exception {
    Forwarder forwarder = forwarder(false);
    assertEquals("192.0.2.1", onlyA(received(fill(forwarder, 0, "192.0.2.1", 300))).getAddress().getHostAddress());
    advance(10);

    Answer hit = done(ask(forwarder));

    assertEquals(AnswerSource.CACHE, hit.source());
    assertEquals(290, onlyA(received(hit)).getTTL());
    assertEquals(1, upstream.asked.size());
  }

  @Test
  void identicalMissesInFlightShareOneExchange() throws Exception {
    Forwarder forwarder = forwarder(false);
    CompletableFuture<Answer> first = ask(forwarder);
    CompletableFuture<Answer> second = ask(forwarder);

    upstream.answer(0, "192.0.2.1", 300);

    assertEquals(1, upstream.asked.size());
    assertEquals(AnswerSource.UPSTREAM, done(first).source());
    assertEquals(AnswerSource.UPSTREAM, done(second).source());
    assertEquals(1, forwarder.coalescer().joinedQueries());
  }

  @Test
  void expiredEntryIsServedStaleWithEde3WhenUpstreamsFailAndServeStaleIsOn() throws Exception {
    Forwarder forwarder = forwarder(true);
    fill(forwarder, 0, "192.0.2.1", 60);
    advance(120);

    CompletableFuture<Answer> pending = ask(forwarder);
    assertFalse(pending.isDone(), "an expired entry is not fresh: upstream first");
    upstream.fail(1);
    Answer stale = done(pending);

    assertEquals(AnswerSource.STALE, stale.source());
    assertEquals(ExtendedErrorCodeOption.STALE_ANSWER, edeCode(stale.ede()));
    assertEquals(Rcode.NOERROR, stale.rcode());
    ARecord a = onlyA(received(stale));
    assertEquals("192.0.2.1", a.getAddress().getHostAddress());
    assertEquals(30, a.getTTL(), "RFC 8767: a stale answer carries TTL 30");
  }

  @Test
  void ednsClientReceivesTheStaleAnswersEde3() throws Exception {
    Forwarder forwarder = forwarder(true);
    fill(forwarder, 0, "192.0.2.1", 60);
    advance(120);
    QueryContext ctx = client(true);

    CompletableFuture<Answer> pending = forwarder.answer(GROUP, new RuleQuery(NAME, Type.A, DClass.IN, null), ctx);
    upstream.fail(1);
    Message received = received(done(pending), ctx);

    List<EDNSOption> edes = received.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
    assertEquals(1, edes.size());
    assertEquals(ExtendedErrorCodeOption.STALE_ANSWER, edeCode(edes.get(0)));
  }

  @Test
  void expiredEntryIsNotServedWhenServeStaleIsOffButServfailWithEde23() throws Exception {
    Forwarder forwarder = forwarder(false);
    fill(forwarder, 0, "192.0.2.1", 60);
    advance(120);

    CompletableFuture<Answer> pending = ask(forwarder);
    upstream.fail(1);
    Answer failed = done(pending);

    assertEquals(AnswerSource.FAILED, failed.source());
    assertEquals(Rcode.SERVFAIL, failed.rcode());
    assertEquals(ExtendedErrorCodeOption.NETWORK_ERROR, edeCode(failed.ede()));
    assertTrue(((ExtendedErrorCodeOption) failed.ede()).getText().contains("no answer in 2s"));
    Message received = received(failed);
    assertEquals(Rcode.SERVFAIL, received.getRcode());
    assertTrue(received.getSection(Section.ANSWER).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(value = UpstreamException.Kind.class)
  void failureWithNothingStaleIsServfailWithEde23(UpstreamException.Kind kind) throws Exception {
    Forwarder forwarder = forwarder(true);

    CompletableFuture<Answer> pending = ask(forwarder);
    upstream.exchanges.get(0).completeExceptionally(new UpstreamException(kind, kind + " happened"));
    Answer failed = done(pending);

    assertEquals(AnswerSource.FAILED, failed.source());
    assertEquals(Rcode.SERVFAIL, failed.rcode());
    assertEquals(ExtendedErrorCodeOption.NETWORK_ERROR, edeCode(failed.ede()));
  }

  @Test
  void staleAnswerIsNotUsedWhileTheUpstreamStillAnswers() throws Exception {
    Forwarder forwarder = forwarder(true);
    fill(forwarder, 0, "192.0.2.1", 60);
    advance(120);

    Answer fresh = fill(forwarder, 1, "192.0.2.2", 60);

    assertEquals("192.0.2.2", onlyA(received(fresh)).getAddress().getHostAddress());
  }

  /** Three hits make an entry popular; the third one here falls in the last tenth of TTL 100. */
  Answer hitsUntilPrefetch(Forwarder forwarder) throws Exception {
    fill(forwarder, 0, "192.0.2.1", 100);
    assertEquals(AnswerSource.CACHE, done(ask(forwarder)).source());
    assertEquals(AnswerSource.CACHE, done(ask(forwarder)).source());
    assertEquals(1, upstream.asked.size(), "no prefetch early in the TTL");
    advance(91);
    return done(ask(forwarder));
  }

  @Test
  void popularEntryInItsLastTenthIsAnsweredFromCacheAndPrefetchedOnce() throws Exception {
    Forwarder forwarder = forwarder(false);

    Answer hit = hitsUntilPrefetch(forwarder);

    assertEquals(AnswerSource.CACHE, hit.source());
    ARecord cached = onlyA(received(hit));
    assertEquals("192.0.2.1", cached.getAddress().getHostAddress());
    assertEquals(9, cached.getTTL());
    assertEquals(2, upstream.asked.size(), "one background exchange");
    for (int i = 0; i < 5; i++) {
      assertEquals(AnswerSource.CACHE, done(ask(forwarder)).source(), "hit while the prefetch is in flight");
    }
    assertEquals(2, upstream.asked.size(), "exactly one prefetch at a time");
  }

  @Test
  void prefetchedAnswerIsUsedAfterwardsAndOutlivesTheOldEntry() throws Exception {
    Forwarder forwarder = forwarder(false);
    hitsUntilPrefetch(forwarder);

    upstream.answer(1, "192.0.2.2", 100);
    Answer refreshed = done(ask(forwarder));

    assertEquals(AnswerSource.CACHE, refreshed.source());
    ARecord a = onlyA(received(refreshed));
    assertEquals("192.0.2.2", a.getAddress().getHostAddress());
    assertEquals(100, a.getTTL());
    advance(20); // the first entry would have expired 11 s ago
    Answer later = done(ask(forwarder));
    assertEquals(AnswerSource.CACHE, later.source());
    assertEquals(80, onlyA(received(later)).getTTL());
    assertEquals(2, upstream.asked.size());
  }

  @Test
  void failedPrefetchKeepsTheEntryAndLetsALaterHitTryAgain() throws Exception {
    Forwarder forwarder = forwarder(false);
    hitsUntilPrefetch(forwarder);

    upstream.fail(1);
    Answer hit = done(ask(forwarder));

    assertEquals(AnswerSource.CACHE, hit.source());
    assertEquals("192.0.2.1", onlyA(received(hit)).getAddress().getHostAddress());
    assertEquals(3, upstream.asked.size(), "the hit after a failed prefetch starts another");
  }

  @Test
  void rarelyAskedEntryIsNotPrefetched() throws Exception {
    Forwarder forwarder = forwarder(false);
    fill(forwarder, 0, "192.0.2.1", 100);
    advance(95);

    Answer hit = done(ask(forwarder));

    assertEquals(AnswerSource.CACHE, hit.source());
    assertEquals(1, upstream.asked.size(), "one hit is not popular");
    advance(10);
    assertNull(ask(forwarder).getNow(null), "expired: a miss again");
    assertEquals(2, upstream.asked.size());
  }
}
