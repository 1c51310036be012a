package dev.dnsgate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.wire.ClientCopy;
import dev.dnsgate.wire.EdnsOptions;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.WireBytes;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream answers kept for their TTL (Caffeine, bounded by entries and bytes). Entries are stored in
 * wire form, as received minus the upstream's OPT record where that loses nothing (else encoded
 * afresh); clients get copies with ID, RD, question case and TTLs patched, so no two clients ever
 * share mutable bytes. Negative answers live for the SOA minimum (RFC 2308), upstream SERVFAIL for a
 * few seconds, and with serve-stale (RFC 8767) expired entries are kept to answer when every
 * upstream fails.
 */
public final class AnswerCache {

  /** RFC 8767 section 4: the TTL of a stale answer. */
  static final long STALE_ANSWER_TTL = 30;
  /** An entry is prefetched in the last tenth of its TTL, if it was asked for this often. */
  static final int PREFETCH_MIN_HITS = 3;
  static final long PREFETCH_MIN_TTL = 10;
  /** Fixed per-entry cost on top of the wire bytes, for the memory bound. */
  static final int ENTRY_OVERHEAD = 200;

  /** A cached answer, ready for one client. */
  public record Hit(Message message, boolean prefetchDue) {}

  /** A cached answer already encoded for one client. */
  public record Ready(byte[] wire, int rcode, boolean prefetchDue) {}

  /**
   * An entry shaped once for one EDNS variant of client (with or without OPT), to be copied and
   * patched per hit: ID, RD bit, the question's case and the TTLs are all that differ.
   */
  private record Template(byte[] wire, int[] ttlOffsets) {}

  /**
   * One cached answer, opaque outside the cache. The counters are fields, not Atomic objects: 100k
   * entries, 32 bytes each.
   */
  public static final class Entry {
    private static final AtomicIntegerFieldUpdater<Entry> HITS =
        AtomicIntegerFieldUpdater.newUpdater(Entry.class, "hits");
    private static final AtomicIntegerFieldUpdater<Entry> PREFETCHING =
        AtomicIntegerFieldUpdater.newUpdater(Entry.class, "prefetching");

    final byte[] wire;
    final int[] ttlOffsets;
    final long storedNanos;
    final long ttlSeconds;
    final long freshUntil;
    final long keepUntil;
    final long[] ttls;
    final int rcode;
    /** The wire form has no OPT record (and the answer no extended rcode): templates need no parsing. */
    final boolean plain;
    volatile int hits;
    volatile int prefetching;
    volatile Template withEdns;
    volatile Template withoutEdns;

    Entry(byte[] wire, int[] ttlOffsets, long storedNanos, long ttlSeconds, long freshUntil, long keepUntil,
        int rcode, boolean plain) {
      this.wire = wire;
      this.ttlOffsets = ttlOffsets;
      this.storedNanos = storedNanos;
      this.ttlSeconds = ttlSeconds;
      this.freshUntil = freshUntil;
      this.keepUntil = keepUntil;
      this.ttls = TtlPatcher.ttls(wire, ttlOffsets);
      this.rcode = rcode;
      this.plain = plain;
    }
  }

  private final CacheSettings settings;
  private final NanoClock clock;
  private final Cache<CacheKey, Entry> entries;

  public AnswerCache(CacheSettings settings, NanoClock clock) {
    this.settings = settings;
    this.clock = clock;
    long minWeight = Math.max(1, settings.maxBytes() / Math.max(1, settings.maxEntries()));
    this.entries = Caffeine.newBuilder()
        .ticker(clock::nanos)
        // Eviction work runs on the thread that inserts: handing it to the common pool cost a
        // thread hop per insert and starved on 2 busy cores (forward-unique 64k -> see BENCHMARKS.md).
        .executor(Runnable::run)
        .maximumWeight(settings.maxBytes())
        // every entry weighs at least maxBytes/maxEntries, so the entry count is bounded too
        .weigher((CacheKey k, Entry e) -> (int) Math.max(minWeight, e.wire.length + ENTRY_OVERHEAD))
        .expireAfter(new Expiry<CacheKey, Entry>() {
          @Override
          public long expireAfterCreate(CacheKey key, Entry entry, long now) {
            return Math.max(0, entry.keepUntil - now);
          }

          @Override
          public long expireAfterUpdate(CacheKey key, Entry entry, long now, long current) {
            return Math.max(0, entry.keepUntil - now);
          }

          @Override
          public long expireAfterRead(CacheKey key, Entry entry, long now, long current) {
            return current;
          }
        })
        .recordStats()
        .build();
  }

  public Cache<CacheKey, ?> caffeine() {
    return entries;
  }

  /** A fresh answer with TTLs counted down, or null. */
  public Hit fresh(CacheKey key) {
    Entry entry = freshEntry(key);
    if (entry == null) {
      return null;
    }
    long age = ageSeconds(entry);
    return new Hit(copy(entry, age, -1), prefetchDue(entry, age));
  }

  /**
   * A fresh answer encoded for the client of {@code ctx}, or null. The first hit per EDNS variant
   * makes a template (bytes only for a plain entry, else a copy shaped by {@code shaper}); later hits
   * copy it and patch ID, RD, question case and TTLs, with no parsing or encoding.
   */
  public Ready freshReady(CacheKey key, QueryContext ctx, ResponseShaper shaper) {
    Entry entry = freshEntry(key);
    if (entry == null) {
      return null;
    }
    long age = ageSeconds(entry);
    return ready(entry, age, prefetchDue(entry, age), ctx, shaper, true);
  }

  /**
   * The answer {@link #put} just stored, for a client whose miss fetched it: not counted as a hit,
   * and no template kept, since most entries are never hit (templates would double their memory).
   */
  public Ready ready(Entry stored, QueryContext ctx, ResponseShaper shaper) {
    return ready(stored, ageSeconds(stored), false, ctx, shaper, false);
  }

  private Ready ready(Entry entry, long age, boolean prefetch, QueryContext ctx, ResponseShaper shaper,
      boolean keepTemplate) {
    Template template = ctx.edns() ? entry.withEdns : entry.withoutEdns;
    if (template == null && entry.plain) {
      template = new Template(shaper.withOwnOpt(entry.wire, ctx), entry.ttlOffsets);
      if (keepTemplate) {
        keep(entry, ctx, template);
      }
    }
    if (template == null || template.wire().length > ctx.answerLimit()) {
      byte[] shaped = shaper.shape(copy(entry, age, -1), ctx, null);
      int[] offsets = TtlPatcher.ttlOffsets(shaped);
      // a truncated copy (TC, or additional records left out) is right for this client only
      boolean complete = (shaped[2] & 0x02) == 0 && offsets.length == entry.ttls.length;
      if (template == null && complete && keepTemplate) {
        keep(entry, ctx, new Template(shaped.clone(), offsets));
      }
      return new Ready(shaped, entry.rcode, prefetch);
    }
    byte[] out = ClientCopy.of(template.wire(), ctx);
    TtlPatcher.set(out, template.ttlOffsets(), entry.ttls, age);
    return new Ready(out, entry.rcode, prefetch);
  }

  private static void keep(Entry entry, QueryContext ctx, Template template) {
    if (ctx.edns()) {
      entry.withEdns = template;
    } else {
      entry.withoutEdns = template;
    }
  }

  private Entry freshEntry(CacheKey key) {
    Entry entry = entries.getIfPresent(key);
    return entry == null || clock.nanos() >= entry.freshUntil ? null : entry;
  }

  private long ageSeconds(Entry entry) {
    return TimeUnit.NANOSECONDS.toSeconds(clock.nanos() - entry.storedNanos);
  }

  private boolean prefetchDue(Entry entry, long age) {
    int hits = Entry.HITS.incrementAndGet(entry);
    return settings.prefetch()
        && hits >= PREFETCH_MIN_HITS
        && entry.ttlSeconds >= PREFETCH_MIN_TTL
        && (entry.ttlSeconds - age) * 10 <= entry.ttlSeconds
        && Entry.PREFETCHING.compareAndSet(entry, 0, 1);
  }

  /** An expired answer kept for serve-stale, with the stale TTL, or null. */
  public Message stale(CacheKey key) {
    if (!settings.serveStale()) {
      return null;
    }
    Entry entry = entries.getIfPresent(key);
    return entry == null ? null : copy(entry, 0, STALE_ANSWER_TTL);
  }

  /**
   * Stores an upstream answer for as long as its TTLs (or negative-caching rules) allow; returns the
   * entry, or null when the answer is not to be cached.
   */
  public Entry put(CacheKey key, Message answer, byte[] received) {
    long ttl = cacheTtl(answer);
    if (ttl <= 0) {
      return null;
    }
    ReusableWire.Reusable reusable = reusable(answer, received);
    boolean plain = reusable != null;
    byte[] wire;
    int[] offsets;
    if (plain) {
      wire = Arrays.copyOf(received, reusable.end());
      if (reusable.end() < received.length) {
        WireBytes.addToAdditionalCount(wire, -1); // the upstream's OPT record is cut off
      }
      offsets = reusable.ttlOffsets();
    } else {
      try {
        wire = withoutHopByHopOptions(answer).toWire();
      } catch (RuntimeException e) {
        // dnsjava parses some records it cannot encode again (a WKS record without services, found by
        // UpstreamAnswerFuzzTest, input "wks-without-services"): such an answer is not cached
        return null;
      }
      offsets = TtlPatcher.ttlOffsets(wire);
    }
    TtlPatcher.clamp(wire, offsets, settings.minTtl(), settings.maxTtl());
    long now = clock.nanos();
    long freshUntil = now + TimeUnit.SECONDS.toNanos(ttl);
    long keepUntil = settings.serveStale() ? freshUntil + settings.staleRetention().toNanos() : freshUntil;
    Entry entry = new Entry(wire, offsets, now, ttl, freshUntil, keepUntil, answer.getRcode(), plain);
    entries.put(key, entry);
    return entry;
  }

  /**
   * The received bytes can be kept, minus their OPT record, when that carries nothing to keep (only
   * hop-by-hop options such as padding, no extended rcode); null when the answer must be encoded afresh.
   */
  private static ReusableWire.Reusable reusable(Message answer, byte[] received) {
    OPTRecord opt = answer.getOPT();
    if (opt != null && (opt.getExtendedRcode() != 0 || !EdnsOptions.endToEnd(opt).isEmpty())) {
      return null;
    }
    return ReusableWire.check(received);
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

  /** Seconds an answer may be cached: 0 for answers that must not be. */
  long cacheTtl(Message answer) {
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
          return clampTtl(Math.min(soa.getTTL(), soa.getMinimum()));
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
    return clampTtl(min);
  }

  private long clampTtl(long ttl) {
    return Math.max(settings.minTtl(), Math.min(settings.maxTtl(), ttl));
  }

  private static Message copy(Entry entry, long ageSeconds, long fixedTtl) {
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
    Entry entry = entries.getIfPresent(key);
    if (entry != null) {
      entry.prefetching = 0;
    }
  }

  public void flush() {
    entries.invalidateAll();
  }

  /** Removes every entry for {@code name}, all types and groups; returns how many. */
  public int flush(Name name) {
    int[] removed = {0};
    entries.asMap().keySet().removeIf(k -> {
      boolean match = k.name().equals(name);
      removed[0] += match ? 1 : 0;
      return match;
    });
    return removed[0];
  }

  public long size() {
    return entries.estimatedSize();
  }

  /** For tests and metrics: expired entries leave now instead of on Caffeine's own schedule. */
  public void cleanUp() {
    entries.cleanUp();
  }

  /** Settings as plain values. */
  public record CacheSettings(
      long maxEntries, long maxBytes, long minTtl, long maxTtl, Duration servfailTtl,
      boolean serveStale, Duration staleRetention, boolean prefetch) {

    public static CacheSettings from(DnsgateConfig.Cache c) {
      return new CacheSettings(c.maxEntries(), c.maxBytes(), c.minTtl(), c.maxTtl(), c.servfailTtl(),
          c.serveStale(), c.staleRetention(), c.prefetch());
    }
  }
}
