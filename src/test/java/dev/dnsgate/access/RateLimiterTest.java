package dev.dnsgate.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Cache;
import dev.dnsgate.rules.match.Cidr;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Token buckets per client network, driven by a virtual clock. */
class RateLimiterTest {

  long now = 7_000_000_000L;

  RateLimiter limiter(int qps, int burst, int maxTracked, String... exempt) {
    return new RateLimiter(qps, burst, List.of(exempt).stream().map(Cidr::parse).toList(), maxTracked, () -> now);
  }

  static InetAddress ip(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  /** How many queries in a row are allowed at this instant. */
  static int allowedInARow(RateLimiter limiter, InetAddress client, int max) {
    int n = 0;
    while (n < max && limiter.allow(client)) {
      n++;
    }
    return n;
  }

  @ParameterizedTest
  @CsvSource({"10, 1", "10, 5", "1000, 2000", "1, 1"})
  void freshClientGetsExactlyItsBurst(int qps, int burst) throws Exception {
    RateLimiter limiter = limiter(qps, burst, 1000);

    assertEquals(burst, allowedInARow(limiter, ip("192.0.2.1"), burst + 10));
  }

  @Test
  void burstOfZeroStillAllowsOneQuery() throws Exception {
    RateLimiter limiter = limiter(10, 0, 1000);

    assertEquals(1, allowedInARow(limiter, ip("192.0.2.1"), 10));
  }

  @ParameterizedTest
  @CsvSource({
    // qps, burst, elapsed ms, tokens back
    "10, 5, 100, 1", "10, 5, 99, 0", "10, 5, 350, 3", "10, 5, 10000, 5", "1000, 50, 20, 20", "1, 3, 2500, 2"
  })
  void tokensRefillWithVirtualTimeUpToTheBurst(int qps, int burst, long elapsedMillis, int tokensBack)
      throws Exception {
    RateLimiter limiter = limiter(qps, burst, 1000);
    InetAddress client = ip("198.51.100.7");
    assertEquals(burst, allowedInARow(limiter, client, burst + 1));

    now += TimeUnit.MILLISECONDS.toNanos(elapsedMillis);

    assertEquals(tokensBack, allowedInARow(limiter, client, burst + 10));
  }

  @Test
  void clientIdleForHoursGetsItsFullBurstBack() throws Exception {
    // (now - last) * qps in nanoseconds overflows a long after 2.5 hours at 1M qps: the bucket must
    // still be full, not emptied for hours
    RateLimiter limiter = limiter(1_000_000, 10, 1000);
    InetAddress client = ip("198.51.100.7");
    assertEquals(10, allowedInARow(limiter, client, 20));

    now += TimeUnit.HOURS.toNanos(3);

    assertEquals(10, allowedInARow(limiter, client, 20));
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.2.254, true",
    "192.0.2.1, 192.0.3.1, false",
    "2001:db8:0:ff::1, 2001:db8:0:ff:ffff::2, true",
    "2001:db8:0:ff::1, 2001:db8:0:1ff::1, false",
    "0.0.0.1, ::1, false"
  })
  void clientsShareABucketPerIpv4Slash24AndIpv6Slash56(String first, String second, boolean shared)
      throws Exception {
    RateLimiter limiter = limiter(1, 2, 1000);
    assertEquals(2, allowedInARow(limiter, ip(first), 5));

    assertEquals(!shared, limiter.allow(ip(second)));
  }

  @Test
  void networkKeysKeepTheFamiliesApart() throws Exception {
    assertNotEquals(RateLimiter.networkOf(ip("0.0.0.0")), RateLimiter.networkOf(ip("::")));
    assertEquals(RateLimiter.networkOf(ip("10.1.2.3")), RateLimiter.networkOf(ip("10.1.2.200")));
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1", "127.9.9.9", "::1", "10.20.30.40"})
  void exemptNetworksAreNeverLimited(String client) throws Exception {
    RateLimiter limiter = limiter(1, 1, 1000, "127.0.0.0/8", "::1/128", "10.20.0.0/16");

    assertEquals(1000, allowedInARow(limiter, ip(client), 1000));
  }

  @Test
  void zeroQpsTurnsLimitingOff() throws Exception {
    RateLimiter limiter = limiter(0, 1, 1000);

    assertEquals(1000, allowedInARow(limiter, ip("192.0.2.1"), 1000));
  }

  @Test
  void unknownClientIsNotLimited() {
    RateLimiter limiter = limiter(1, 1, 1000);

    assertTrue(limiter.allow(null));
    assertTrue(limiter.allow(null));
  }

  @SuppressWarnings("unchecked")
  static long tracked(RateLimiter limiter) throws Exception {
    Field buckets = RateLimiter.class.getDeclaredField("buckets");
    buckets.setAccessible(true);
    Cache<Long, ?> cache = (Cache<Long, ?>) buckets.get(limiter);
    cache.cleanUp();
    return cache.estimatedSize();
  }

  static InetAddress network(int i) throws Exception {
    return InetAddress.getByAddress(new byte[] {(byte) (i >>> 16), (byte) (i >>> 8), (byte) i, 1});
  }

  @Test
  void floodOfNewClientsStaysWithinMaxTrackedAndEachFirstQueryIsAllowed() throws Exception {
    RateLimiter limiter = limiter(1, 1, 100);

    for (int i = 1; i <= 20_000; i++) {
      assertTrue(limiter.allow(network(i)), "first query of network " + i);
    }

    long tracked = tracked(limiter);
    assertTrue(tracked <= 100, "tracked " + tracked);
    assertTrue(tracked > 0, "tracked " + tracked);
  }

  @Test
  void floodOfSpoofedNewClientsDoesNotRefillABusyClient() throws Exception {
    // a flooder mixing its own queries with spoofed sources seen once each: the bound must forget
    // the spoofed sources, or the flood would hand the flooder a full bucket again and again
    RateLimiter limiter = limiter(1, 5, 100);
    InetAddress busy = ip("203.0.113.9");
    assertEquals(5, allowedInARow(limiter, busy, 10));

    int allowedDuringFlood = 0;
    for (int i = 1; i <= 20_000; i++) {
      limiter.allow(network(i));
      if (i % 10 == 0 && limiter.allow(busy)) {
        allowedDuringFlood++;
      }
    }

    assertEquals(0, allowedDuringFlood, "queries of the busy client allowed with the clock standing still");
  }
}
