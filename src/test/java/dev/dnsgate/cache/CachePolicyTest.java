package dev.dnsgate.cache;

import static dev.dnsgate.cache.AnswerCacheTest.answer;
import static dev.dnsgate.cache.AnswerCacheTest.negative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.testing.Settings;
import dev.dnsgate.wire.ReusableWire;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/** The cache's decisions on their own: how long an answer lives, and when a hit refreshes it. */
class CachePolicyTest {

  static CachePolicy policy(long minTtl, long maxTtl, boolean prefetch) {
    return new CachePolicy(Settings.cache(c -> {
      c.minTtl = minTtl;
      c.maxTtl = maxTtl;
      c.prefetch = prefetch;
    }));
  }

  /** Both readings, the parsed answer's and that of its bytes unparsed, which must agree. */
  static long ttlSeconds(CachePolicy policy, Message answer) {
    long parsed = policy.ttlSeconds(answer);
    byte[] wire = answer.toWire();
    ReusableWire.Reusable walked = ReusableWire.check(wire);
    assertNotNull(walked, "plain bytes");
    assertEquals(parsed, policy.ttlSeconds(wire, walked), "read from the bytes");
    return parsed;
  }

  @Test
  void positiveAnswerLivesForItsSmallestTtlWithinTheBounds() throws Exception {
    assertEquals(300, ttlSeconds(policy(0, 86400, true), answer(Rcode.NOERROR, 300)));
    assertEquals(60, ttlSeconds(policy(60, 86400, true), answer(Rcode.NOERROR, 5)), "raised to min-ttl");
    assertEquals(100, ttlSeconds(policy(0, 100, true), answer(Rcode.NOERROR, 300)), "capped at max-ttl");
  }

  @Test
  void negativeAnswerLivesForTheSoaMinimumOrTtlWhicheverIsSmaller() throws Exception {
    assertEquals(30, ttlSeconds(policy(0, 86400, true), negative(Rcode.NXDOMAIN, 3600, 30)));
    assertEquals(20, ttlSeconds(policy(0, 86400, true), negative(Rcode.NOERROR, 20, 900)), "NODATA, SOA TTL smaller");
  }

  @Test
  void negativeAnswerWithoutSoaIsNotCached() throws Exception {
    assertEquals(0, ttlSeconds(policy(0, 86400, true), answer(Rcode.NXDOMAIN, -1)));
  }

  @Test
  void servfailLivesForServfailTtlAndTruncatedAnswersNotAtAll() throws Exception {
    assertEquals(5, ttlSeconds(policy(0, 86400, true), answer(Rcode.SERVFAIL, -1)));
    Message truncated = answer(Rcode.NOERROR, 300);
    truncated.getHeader().setFlag(Flags.TC);
    assertEquals(0, ttlSeconds(policy(0, 86400, true), truncated));
    assertEquals(0, ttlSeconds(policy(0, 86400, true), answer(Rcode.REFUSED, -1)));
  }

  @Test
  void prefetchIsDueInTheLastTenthOfAPopularLongLivedEntry() {
    CachePolicy policy = policy(0, 86400, true);
    assertTrue(policy.prefetchDue(3, 100, 90));
    assertFalse(policy.prefetchDue(3, 100, 89), "more than a tenth left");
    assertFalse(policy.prefetchDue(2, 100, 95), "asked for too rarely");
    assertFalse(policy.prefetchDue(10, 9, 9), "too short-lived to be worth it");
    assertFalse(policy(0, 86400, false).prefetchDue(10, 100, 95), "prefetch off");
  }
}
