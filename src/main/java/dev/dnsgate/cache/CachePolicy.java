package dev.dnsgate.cache;

import dev.dnsgate.cache.AnswerCache.CacheSettings;
import dev.dnsgate.wire.ReusableWire;
import dev.dnsgate.wire.TtlPatcher;
import dev.dnsgate.wire.WireBytes;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * How long answers live, and when one is refreshed ahead of time: pure decisions from the settings
 * and the answer, with no storage and no clock of their own, so that each rule is tested on its own.
 */
final class CachePolicy {

  /** RFC 8767 section 4: the TTL of a stale answer. */
  static final long STALE_ANSWER_TTL = 30;
  /** An entry is prefetched in the last tenth of its TTL, if it was asked for this often. */
  static final int PREFETCH_MIN_HITS = 3;
  static final long PREFETCH_MIN_TTL = 10;

  private final CacheSettings settings;

  CachePolicy(CacheSettings settings) {
    this.settings = settings;
  }

  /**
   * Seconds an answer may be cached; 0 for answers that must not be. Negative answers live for the
   * SOA minimum (RFC 2308), upstream SERVFAIL for {@code servfail-ttl}, the rest for their smallest TTL,
   * all within [min-ttl, max-ttl].
   */
  long ttlSeconds(Message answer) {
    if (answer.getHeader().getFlag(Flags.TC)) {
      return 0;
    }
    int rcode = answer.getRcode();
    if (rcode == Rcode.SERVFAIL) {
      return settings.servfailTtl().toSeconds();
    }
    boolean negative = rcode == Rcode.NXDOMAIN || (rcode == Rcode.NOERROR && answer.getSection(Section.ANSWER).isEmpty());
    if (negative) {
      for (Record r : answer.getSection(Section.AUTHORITY)) {
        if (r instanceof SOARecord soa) {
          return clamp(Math.min(soa.getTTL(), soa.getMinimum()));
        }
      }
      return 0; // RFC 2308 section 5: without an SOA, a negative answer is not cached
    }
    if (rcode != Rcode.NOERROR) {
      return 0;
    }
    long min = Long.MAX_VALUE;
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : answer.getSection(section)) {
        if (r.getType() != Type.OPT) {
          min = Math.min(min, r.getTTL());
        }
      }
    }
    return clamp(min);
  }

  /** As {@link #ttlSeconds(Message)}, read from bytes that ReusableWire walked, without parsing them. */
  long ttlSeconds(byte[] wire, ReusableWire.Reusable walked) {
    if (WireBytes.truncated(wire)) {
      return 0;
    }
    int rcode = WireBytes.rcode(wire);
    if (rcode == Rcode.SERVFAIL) {
      return settings.servfailTtl().toSeconds();
    }
    if (rcode == Rcode.NXDOMAIN || (rcode == Rcode.NOERROR && WireBytes.count(wire, Section.ANSWER) == 0)) {
      return walked.negativeTtl() < 0 ? 0 : clamp(walked.negativeTtl());
    }
    if (rcode != Rcode.NOERROR) {
      return 0;
    }
    return clamp(walked.minTtl());
  }

  /** A record TTL within [min-ttl, max-ttl]. */
  long clamp(long ttl) {
    return Math.max(settings.minTtl(), Math.min(settings.maxTtl(), ttl));
  }

  /** Clamps the record TTLs of a stored answer in place, so that every client sees them clamped. */
  void clampTtls(byte[] wire, int[] ttlOffsets) {
    TtlPatcher.clamp(wire, ttlOffsets, settings.minTtl(), settings.maxTtl());
  }

  /** How long past its freshness an entry is kept: for serve-stale only. */
  long staleRetentionNanos() {
    return settings.serveStale() ? settings.staleRetention().toNanos() : 0;
  }

  /**
   * Whether a hit should refresh its entry ahead of expiry: asked often enough, long-lived enough to
   * be worth it, and in the last tenth of its TTL.
   */
  boolean prefetchDue(int hits, long ttlSeconds, long ageSeconds) {
    return settings.prefetch()
        && hits >= PREFETCH_MIN_HITS
        && ttlSeconds >= PREFETCH_MIN_TTL
        && (ttlSeconds - ageSeconds) * 10 <= ttlSeconds;
  }

  boolean serveStale() {
    return settings.serveStale();
  }
}
