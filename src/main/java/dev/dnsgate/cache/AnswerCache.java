package dev.dnsgate.cache;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.upstream.Validation;
import dev.dnsgate.wire.AnswerTemplate;
import dev.dnsgate.wire.EdnsOptions;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.ReusableWire;
import dev.dnsgate.wire.TtlPatcher;
import dev.dnsgate.wire.WireBytes;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;

/**
 * Upstream answers kept for their TTL: {@link CachePolicy} says how long, {@link AnswerStore} keeps
 * them (bounded by entries and bytes). Entries are stored in wire form, as received minus the
 * upstream's OPT record where that loses nothing (else encoded afresh); clients get copies with our
 * own OPT record, and ID, RD, question case and TTLs patched ({@link AnswerTemplate#patchFor}), so no
 * two clients ever share mutable bytes. With serve-stale (RFC 8767) expired entries are kept to
 * answer when every upstream fails.
 */
public final class AnswerCache {

  /** A cached answer, ready for one client. */
  public record Hit(Message message, boolean prefetchDue, Validation validation) {}

  /** A cached answer already encoded for one client. */
  public record Ready(byte[] wire, int rcode, boolean prefetchDue, Validation validation) {}

  private final CachePolicy policy;
  private final NanoClock clock;
  private final AnswerStore store;

  public AnswerCache(CacheSettings settings, NanoClock clock) {
    this.policy = new CachePolicy(settings);
    this.clock = clock;
    this.store = new AnswerStore(settings.maxEntries(), settings.maxBytes(), clock);
  }

  /** Lookups that found a fresh answer, for metrics. */
  public long hits() {
    return store.hits();
  }

  public long misses() {
    return store.misses();
  }

  public long puts() {
    return store.puts();
  }

  /** Entries that left to make room (not those replaced, flushed or expired). */
  public long evictions() {
    return store.evictions();
  }

  /** A fresh answer with TTLs counted down, or null. */
  public Hit fresh(CacheKey key) {
    CacheEntry entry = store.fresh(key);
    if (entry == null) {
      return null;
    }
    long age = ageSeconds(entry);
    return new Hit(copy(entry, age, -1), prefetchDue(key, entry, age), entry.validation);
  }

  /**
   * A fresh answer encoded for the client of {@code ctx}, or null. A plain entry (no OPT record of
   * its own) gets our OPT record appended and ID, RD, question case and TTLs patched, with no parsing
   * or encoding; the others, and answers too large for the client, are shaped as a message.
   */
  public Ready freshReady(CacheKey key, QueryContext ctx, ResponseShaper shaper) {
    CacheEntry entry = store.fresh(key);
    if (entry == null) {
      return null;
    }
    long age = ageSeconds(entry);
    return ready(entry, entry.wire, age, prefetchDue(key, entry, age), ctx, shaper);
  }

  /**
   * The answer {@link #put} just stored, for a client whose miss fetched it: not counted as a hit.
   * Every query coalesced on the miss shares the entry, so its bytes are copied, never patched.
   */
  public Ready ready(CacheEntry stored, QueryContext ctx, ResponseShaper shaper) {
    return ready(stored, ctx.edns() ? stored.wire : stored.wire.clone(), ageSeconds(stored), false, ctx, shaper);
  }

  /** {@code own} is the entry's bytes or a copy of them that this client may have patched. */
  private Ready ready(CacheEntry entry, byte[] own, long age, boolean prefetch, QueryContext ctx,
      ResponseShaper shaper) {
    if (entry.plain) {
      byte[] out = shaper.withOwnOpt(own, ctx); // a copy when the client speaks EDNS, else own itself
      if (out.length <= ctx.answerLimit()) {
        TtlPatcher.age(out, entry.ttlOffsets, age, -1);
        AnswerTemplate.patchFor(ctx, out);
        return new Ready(out, entry.rcode, prefetch, entry.validation);
      }
    }
    return new Ready(shaper.shape(copy(entry, age, -1), ctx, null), entry.rcode, prefetch, entry.validation);
  }

  private long ageSeconds(CacheEntry entry) {
    return TimeUnit.NANOSECONDS.toSeconds(clock.nanos() - entry.storedNanos);
  }

  private boolean prefetchDue(CacheKey key, CacheEntry entry, long age) {
    return policy.prefetchDue(entry.hits, entry.ttlSeconds, age) && store.startPrefetch(key);
  }

  /**
   * An expired answer kept for serve-stale, with the stale TTL, or null; never a DNSSEC-refused one
   * (its SERVFAIL is no answer to fall back on).
   */
  public Message stale(CacheKey key) {
    if (!policy.serveStale()) {
      return null;
    }
    CacheEntry entry = store.get(key);
    return entry == null || entry.validation.refused() ? null : copy(entry, 0, CachePolicy.STALE_ANSWER_TTL);
  }

  /**
   * Stores an upstream answer for as long as its TTLs (or negative-caching rules) allow; returns the
   * entry, or null when the answer is not to be cached. Bytes that ReusableWire vouches for are stored
   * as received, without being parsed when it vouched on arrival; the others are encoded afresh.
   */
  public CacheEntry put(CacheKey key, UpstreamAnswer answer) {
    ReusableWire.Reusable reusable = answer.reusable();
    if (reusable == null && !answer.walkFailed()) {
      reusable = ReusableWire.check(answer.wire()); // an answer made here (a DNSSEC verdict), never walked
    }
    if (reusable == null) {
      long ttl = policy.ttlSeconds(answer.message());
      return ttl <= 0 ? null : storeEncoded(key, answer.message(), ttl, answer.validation());
    }
    byte[] received = answer.wire();
    long ttl = policy.ttlSeconds(received, reusable);
    return ttl <= 0 ? null : storeAsReceived(key, received, reusable, ttl, answer.validation());
  }

  /** Keeps the answer as dnsjava encodes it again, without its hop-by-hop options. */
  private CacheEntry storeEncoded(CacheKey key, Message answer, long ttl, Validation validation) {
    byte[] wire;
    try {
      wire = withoutHopByHopOptions(answer).toWire();
    } catch (RuntimeException e) {
      // dnsjava parses some records it cannot encode again (a WKS record without services, found by
      // UpstreamAnswerFuzzTest, input "wks-without-services"): such an answer is not cached
      return null;
    }
    return store(key, wire, TtlPatcher.ttlOffsets(wire), ttl, answer.getRcode(), false, validation);
  }

  /** Keeps the received bytes minus their OPT record (hop-by-hop options and padding only). */
  private CacheEntry storeAsReceived(
      CacheKey key, byte[] received, ReusableWire.Reusable reusable, long ttl, Validation validation) {
    byte[] wire = Arrays.copyOf(received, reusable.end());
    if (reusable.end() < received.length) {
      WireBytes.addToAdditionalCount(wire, -1); // the upstream's OPT record is cut off
    }
    return store(key, wire, reusable.ttlOffsets(), ttl, WireBytes.rcode(wire), true, validation);
  }

  private CacheEntry store(
      CacheKey key, byte[] wire, int[] offsets, long ttl, int rcode, boolean plain, Validation validation) {
    policy.clampTtls(wire, offsets);
    long now = clock.nanos();
    long freshUntil = now + TimeUnit.SECONDS.toNanos(ttl);
    CacheEntry entry = new CacheEntry(wire, offsets, now, ttl, freshUntil, freshUntil + policy.staleRetentionNanos(),
        rcode, plain, validation, 0);
    store.put(key, entry);
    return entry;
  }

  /**
   * The answer without the upstream's padding (RFC 8467 pads responses to 468-byte blocks): it would
   * be most of every entry's bytes, and shaping drops it anyway.
   */
  private static Message withoutHopByHopOptions(Message answer) {
    OPTRecord opt = answer.getOPT();
    if (opt == null) {
      return answer;
    }
    Message copy = answer.clone();
    copy.removeRecord(opt, Section.ADDITIONAL);
    copy.addRecord(new OPTRecord(opt.getPayloadSize(), opt.getExtendedRcode(), opt.getVersion(), opt.getFlags(),
        EdnsOptions.endToEnd(opt)), Section.ADDITIONAL);
    return copy;
  }

  private static Message copy(CacheEntry entry, long ageSeconds, long fixedTtl) {
    byte[] wire = entry.wire.clone();
    TtlPatcher.age(wire, entry.ttlOffsets, ageSeconds, fixedTtl);
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new IllegalStateException("a cached answer we encoded ourselves did not parse", e);
    }
  }

  /** Lets the next prefetch of this key start (after one finished, whatever its outcome). */
  public void prefetchDone(CacheKey key) {
    store.prefetchDone(key);
  }

  public void flush() {
    store.clear();
  }

  /** Removes every entry for {@code name}, all types and groups; returns how many. */
  public int flush(Name name) {
    return store.remove(name);
  }

  public long size() {
    return store.size();
  }

  /** For tests and metrics: expired entries leave now instead of when the store's rings come round. */
  public void cleanUp() {
    store.cleanUp();
  }

  /** Settings as plain values. */
  public record CacheSettings(
      long maxEntries, long maxBytes, long minTtl, long maxTtl, Duration servfailTtl,
      boolean serveStale, Duration staleRetention, boolean prefetch) {

    public static CacheSettings from(DnsgateConfig.Cache c) {
      return new CacheSettings(c.maxEntries(), c.maxBytes(), c.minTtl(), c.maxTtl(), c.servfailTtl(),
          c.serveStale(), c.staleRetention(), c.prefetch());
    }

    /** The same policy within other bounds. */
    public CacheSettings bounded(long entries, long bytes) {
      return new CacheSettings(entries, bytes, minTtl, maxTtl, servfailTtl, serveStale, staleRetention, prefetch);
    }
  }
}
