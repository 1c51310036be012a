package dev.dnsgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.testing.Queries;
import dev.dnsgate.testing.Settings;
import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.upstream.Validation;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.ResponseShaper;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** TTL countdown, negative caching, serve-stale and prefetch, on a virtual clock: no sleeping. */
class AnswerCacheTest {

  static final Name NAME = Name.fromConstantString("www.example.test.");
  static final CacheKey KEY = new CacheKey(NAME, Type.A, DClass.IN, false, false, "default");

  long now = 1_000_000_000L;

  AnswerCache cache(boolean serveStale, long minTtl, long maxTtl) {
    return new AnswerCache(Settings.cache(c -> {
      c.maxEntries = 1000;
      c.maxBytes = 1 << 20;
      c.minTtl = minTtl;
      c.maxTtl = maxTtl;
      c.serveStale = serveStale;
      c.staleRetention = Duration.ofHours(1);
    }), () -> now);
  }

  void advance(long seconds) {
    now += TimeUnit.SECONDS.toNanos(seconds);
  }

  static Message answer(int rcode, long ttl) throws Exception {
    Message m = new Message(1);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    m.addRecord(Record.newRecord(NAME, Type.A, DClass.IN), Section.QUESTION);
    if (rcode == Rcode.NOERROR && ttl >= 0) {
      m.addRecord(new ARecord(NAME, DClass.IN, ttl, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    }
    return m;
  }

  static Message negative(int rcode, long soaTtl, long soaMinimum) throws Exception {
    Message m = answer(rcode, -1);
    Name zone = Name.fromConstantString("example.test.");
    m.addRecord(new SOARecord(zone, DClass.IN, soaTtl, zone, zone, 1, 3600, 600, 86400, soaMinimum), Section.AUTHORITY);
    return m;
  }

  /** As the pipeline stores an upstream answer: the bytes it arrived as, parsed only when they must be. */
  static CacheEntry put(AnswerCache cache, CacheKey key, Message answer) {
    return cache.put(key, UpstreamAnswer.received(answer.toWire()));
  }

  static long ttlOf(Message m) {
    return m.getSection(Section.ANSWER).get(0).getTTL();
  }

  @Test
  void ttlsAreCountedDownAndTheEntryExpires() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, answer(Rcode.NOERROR, 300));

    advance(100);
    assertEquals(200, ttlOf(cache.fresh(KEY).message()));
    advance(199);
    assertEquals(1, ttlOf(cache.fresh(KEY).message()));
    advance(1);
    assertNull(cache.fresh(KEY));
  }

  @Test
  void everyHitIsItsOwnCopy() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, answer(Rcode.NOERROR, 300));

    Message first = cache.fresh(KEY).message();
    first.getHeader().setID(7);
    first.removeAllRecords(Section.ANSWER);

    assertEquals(1, cache.fresh(KEY).message().getSection(Section.ANSWER).size());
  }

  @Test
  void ttlClampsApply() throws Exception {
    AnswerCache cache = cache(false, 60, 600);
    put(cache, KEY, answer(Rcode.NOERROR, 5));
    assertEquals(60, ttlOf(cache.fresh(KEY).message()));

    put(cache, KEY, answer(Rcode.NOERROR, 86400));
    assertEquals(600, ttlOf(cache.fresh(KEY).message()));
    advance(600);
    assertNull(cache.fresh(KEY));
  }

  @Test
  void nxdomainIsCachedForTheSoaMinimum() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, negative(Rcode.NXDOMAIN, 3600, 30));

    advance(29);
    assertEquals(Rcode.NXDOMAIN, cache.fresh(KEY).message().getRcode());
    advance(1);
    assertNull(cache.fresh(KEY));
  }

  @Test
  void nodataIsCachedForTheSoaTtlWhenThatIsShorter() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, negative(Rcode.NOERROR, 20, 900));

    advance(19);
    assertNotNull(cache.fresh(KEY));
    advance(1);
    assertNull(cache.fresh(KEY));
  }

  @Test
  void negativeAnswerWithoutSoaIsNotCached() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, answer(Rcode.NXDOMAIN, -1));

    assertNull(cache.fresh(KEY));
  }

  @Test
  void servfailIsRememberedForAFewSecondsOnly() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, answer(Rcode.SERVFAIL, -1));

    advance(4);
    assertEquals(Rcode.SERVFAIL, cache.fresh(KEY).message().getRcode());
    advance(1);
    assertNull(cache.fresh(KEY));
  }

  @Test
  void truncatedAndRefusedAnswersAreNotCached() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    Message truncated = answer(Rcode.NOERROR, 300);
    truncated.getHeader().setFlag(Flags.TC);
    put(cache, KEY, truncated);
    assertNull(cache.fresh(KEY));

    put(cache, KEY, answer(Rcode.REFUSED, -1));
    assertNull(cache.fresh(KEY));
  }

  @Test
  void serveStaleNeverServesAnAnswerDnssecRefused() throws Exception {
    AnswerCache cache = cache(true, 0, 86400);
    Validation bogus = new Validation(Validation.Status.BOGUS, "example.test.", "forged");
    Message refused = answer(Rcode.SERVFAIL, -1);
    cache.put(KEY, new UpstreamAnswer(refused, refused.toWire(), bogus));
    assertEquals(bogus, cache.fresh(KEY).validation(), "the status is part of the entry");
    advance(600);
    assertNull(cache.stale(KEY));
  }

  @Test
  void expiredEntriesServeStaleOnlyWhenEnabled() throws Exception {
    AnswerCache withStale = cache(true, 0, 86400);
    AnswerCache without = cache(false, 0, 86400);
    put(withStale, KEY, answer(Rcode.NOERROR, 60));
    put(without, KEY, answer(Rcode.NOERROR, 60));

    advance(600);

    assertNull(withStale.fresh(KEY));
    assertEquals(30, ttlOf(withStale.stale(KEY)), "RFC 8767: stale answers carry TTL 30");
    assertNull(without.stale(KEY));
    advance(3600);
    withStale.cleanUp();
    assertNull(withStale.stale(KEY), "kept for stale-retention only");
  }

  @Test
  void popularEntryIsPrefetchedOnceInItsLastTenth() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, answer(Rcode.NOERROR, 100));
    for (int i = 0; i < 3; i++) {
      assertFalse(cache.fresh(KEY).prefetchDue());
    }
    advance(91);

    assertTrue(cache.fresh(KEY).prefetchDue());
    assertFalse(cache.fresh(KEY).prefetchDue(), "one prefetch at a time");
    cache.prefetchDone(KEY);
    assertTrue(cache.fresh(KEY).prefetchDue());
  }

  @Test
  void flushByNameRemovesEveryTypeOfThatName() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    CacheKey aaaa = new CacheKey(NAME, Type.AAAA, DClass.IN, false, false, "default");
    CacheKey other = new CacheKey(Name.fromConstantString("other.test."), Type.A, DClass.IN, false, false, "default");
    put(cache, KEY, answer(Rcode.NOERROR, 300));
    put(cache, aaaa, answer(Rcode.NOERROR, 300));
    put(cache, other, answer(Rcode.NOERROR, 300));

    assertEquals(2, cache.flush(Name.fromConstantString("WWW.example.test.")));
    assertNull(cache.fresh(KEY));
    assertNotNull(cache.fresh(other));
  }

  @Test
  void entryCountIsBounded() throws Exception {
    AnswerCache cache = new AnswerCache(Settings.cache(c -> {
      c.maxEntries = 10;
      c.maxBytes = 1 << 20;
      c.prefetch = false;
    }), () -> now);
    for (int i = 0; i < 100; i++) {
      put(cache, new CacheKey(Name.fromConstantString("n" + i + ".test."), Type.A, DClass.IN, false, false, "d"),
          answer(Rcode.NOERROR, 300));
    }
    cache.cleanUp();

    assertTrue(cache.size() <= 10, "size " + cache.size());
  }

  @Test
  void answerTheWalkRefusedIsCachedReencodedWithItsTtlCountedDown() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    Message upstream = answer(Rcode.NOERROR, 300);
    upstream.addRecord(new HINFORecord(NAME, DClass.IN, 300, "x86", "linux"), Section.ANSWER);
    UpstreamAnswer received = UpstreamAnswer.received(upstream.toWire());
    assertTrue(received.walkFailed(), "HINFO is not a record shape the walk knows");

    assertNotNull(cache.put(KEY, received));
    advance(100);

    Message served = cache.fresh(KEY).message();
    assertEquals(2, served.getSection(Section.ANSWER).size());
    for (Record r : served.getSection(Section.ANSWER)) {
      assertEquals(200, r.getTTL(), r.toString());
    }
    assertEquals(upstream.getSection(Section.ANSWER).get(1).rdataToString(),
        served.getSection(Section.ANSWER).get(1).rdataToString());
  }

  @Test
  void validatedAnswerKeepsWhatTheWalkFoundAndIsStoredAsReceived() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    Message upstream = answer(Rcode.NOERROR, 300);
    UpstreamAnswer received = UpstreamAnswer.received(upstream.toWire());
    Validation insecure = new Validation(Validation.Status.INSECURE, "example.test.", "no DS");

    UpstreamAnswer validated = received.withValidation(insecure);

    assertNotNull(validated.reusable(), "the walk's result travels with the validation");
    assertEquals(insecure, validated.validation());
    assertNotNull(cache.put(KEY, validated));
    advance(10);
    assertEquals(290, ttlOf(cache.fresh(KEY).message()));
  }

  static final ResponseShaper SHAPER = new ResponseShaper(1232);

  static QueryContext client(int id, boolean edns) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString("WwW.eXample.test."), Type.A, DClass.IN));
    query.getHeader().setID(id);
    if (edns) {
      query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    }
    return Queries.context(query);
  }

  static Message withOpt(Message answer, EDNSOption option) {
    answer.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(option)), Section.ADDITIONAL);
    return answer;
  }

  @Test
  void paddedAnswerIsStoredWithoutItsOptAndServedAsTheShaperWouldShapeIt() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    Message upstream = withOpt(answer(Rcode.NOERROR, 300), new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[400]));
    put(cache, KEY, upstream);

    for (boolean edns : new boolean[] {false, true}) {
      QueryContext ctx = client(0x1234, edns);
      byte[] served = cache.freshReady(KEY, ctx, SHAPER).wire();
      byte[] shaped = SHAPER.shape(answer(Rcode.NOERROR, 300), ctx, null);

      assertEquals(new Message(shaped).toString(), new Message(served).toString(), "EDNS client: " + edns);
      assertTrue(served.length < 100, "no padding kept: " + served.length + " bytes");
    }
  }

  @Test
  void endToEndOptionsOfTheUpstreamAreKept() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    put(cache, KEY, withOpt(answer(Rcode.NOERROR, 300),
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.FILTERED, "by policy")));

    Message served = new Message(cache.freshReady(KEY, client(7, true), SHAPER).wire());

    assertEquals(ExtendedErrorCodeOption.FILTERED,
        ((ExtendedErrorCodeOption) served.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).get(0)).getErrorCode());
  }

  @Test
  void theEntryJustStoredServesTheMissWithoutCountingAsAHit() throws Exception {
    AnswerCache cache = cache(false, 0, 86400);
    CacheEntry stored = put(cache, KEY, answer(Rcode.NOERROR, 100));
    for (int i = 0; i < 3; i++) {
      assertEquals(0x99, new Message(cache.ready(stored, client(0x99, true), SHAPER).wire()).getHeader().getID());
    }
    advance(91);

    assertFalse(cache.fresh(KEY).prefetchDue(), "three misses served are not three hits");
  }

  @Test
  void numberedNamesGetDistinctCacheKeyHashes() {
    java.util.Set<Integer> hashes = new java.util.HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      hashes.add(new CacheKey(Name.fromConstantString(String.format("n%07d.bench.test.", i)), Type.A, DClass.IN,
          false, false, "default").hashCode());
    }

    assertTrue(hashes.size() > 99_990, "dnsjava's Name.hashCode gives 66k here; got " + hashes.size());
  }

  @Test
  void cacheKeysAreEqualAcrossNameCase() {
    CacheKey lower = new CacheKey(Name.fromConstantString("www.example.test."), Type.A, DClass.IN, true, false, "d");
    CacheKey mixed = new CacheKey(Name.fromConstantString("WwW.Example.TEST."), Type.A, DClass.IN, true, false, "d");

    assertEquals(lower, mixed);
    assertEquals(lower.hashCode(), mixed.hashCode());
    assertFalse(lower.equals(new CacheKey(lower.name(), Type.A, DClass.IN, false, false, "d")), "DO differs");
  }
}
