package dev.dnsgate.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.dnsgate.cache.NanoClock;
import dev.dnsgate.rules.match.Cidr;
import java.net.InetAddress;
import java.util.List;

/**
 * A token bucket per client network, as BIND's RRL and dnsdist's MaxQPSIPRule key it: /24 for IPv4,
 * /56 for IPv6 (one customer's allocation), so that rotating through one's own addresses gains nothing.
 * Buckets live in a bounded Caffeine map: a flood of spoofed sources cannot grow memory.
 */
public final class RateLimiter {

  private final int qps;
  private final int burst;
  private final List<Cidr> exempt;
  private final NanoClock clock;
  private final Cache<Long, Bucket> buckets;

  public RateLimiter(int qps, int burst, List<Cidr> exempt, int maxTracked, NanoClock clock) {
    this.qps = qps;
    this.burst = Math.max(1, burst);
    this.exempt = exempt;
    this.clock = clock;
    this.buckets = Caffeine.newBuilder().maximumSize(maxTracked).executor(Runnable::run).build();
  }

  /** Whether a query from {@code client} may be answered now (and takes a token if so). */
  public boolean allow(InetAddress client) {
    if (qps <= 0 || client == null || Cidr.anyContains(exempt, client)) {
      return true;
    }
    long now = clock.nanos();
    return buckets.get(networkOf(client), k -> new Bucket(burst, now)).take(now, qps, burst);
  }

  /** The client's /24 or /56 as one number; the top bits keep the two families apart. */
  static long networkOf(InetAddress client) {
    byte[] a = client.getAddress();
    long key = 0;
    int bytes = a.length == 4 ? 3 : 7;
    for (int i = 0; i < bytes; i++) {
      key = (key << 8) | (a[i] & 0xff);
    }
    return key | (a.length == 4 ? 1L << 62 : 2L << 62);
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(int burst, long now) {
      this.tokens = burst;
      this.last = now;
    }

    synchronized boolean take(long now, int qps, int burst) {
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps); // in doubles: nanos * qps overflows a long
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
