package dev.dnsgate.warmup;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.cache.NanoClock;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.config.DnsgateConfig.Upstream.Strategy;
import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.Forwarder;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.upstream.UpstreamGroup;
import dev.dnsgate.upstream.UpstreamServer;
import dev.dnsgate.upstream.UpstreamSettings;
import dev.dnsgate.wire.Decoded;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.QueryDecoder;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.Transport;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Runs the forwarding code (decoding; {@link Forwarder}: cache, coalescing, DoT; shaping) on made-up
 * queries in the background while the first clients are few, so that the JIT has compiled it when real traffic arrives: a
 * fresh JVM forwarded at a third of its speed for its first ~6 s under load (C2 compiling TLS,
 * dnsjava, the cache's eviction; BENCHMARKS.md, Warm-up). Everything here is its own: a Forwarder with
 * a cache that is dropped afterwards and an upstream group that trusts only the throwaway certificate
 * of a loopback server. Nothing reaches the configured upstreams, the answer cache, the metrics or
 * the query log.
 */
public final class WarmUp {

  /** The name the loopback server's certificate carries; .invalid never resolves (RFC 6761). */
  static final String SERVER_NAME = "warm-up.dnsgate.invalid";
  /** Queries outstanding at once, as many as a busy client (dnsperf's default 100, the harness 256). */
  private static final int IN_FLIGHT = 256;
  /** Every this many queries one repeats a recent name, so that the hit path runs too. */
  private static final int REPEAT_EVERY = 4;
  private static final long WARM_UP_CACHE_ENTRIES = 10_000;
  private static final long WARM_UP_CACHE_MAX_BYTES = 4L << 20;
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  /** What a warm-up did: queries sent, and how many came back answered. */
  public record Result(long sent, long answered, Duration took) {}

  private WarmUp() {}

  /**
   * Sends made-up queries through decoding, a cache, a DoT exchange and shaping until {@code duration}
   * has passed or {@code maxQueries} were sent, then waits for the last answers.
   *
   * @param upstream timeouts, padding and pool sizes of the real upstreams (not their servers)
   * @param cache the real cache's settings; the warm-up's cache is smaller, to evict sooner
   */
  public static Result run(Vertx vertx, EventLoops loops, UpstreamSettings upstream, AnswerCache.CacheSettings cache,
      int udpPayloadSize, Duration duration, long maxQueries) throws Exception {
    long start = System.nanoTime();
    Instant now = Instant.now();
    ThrowawayCertificate certificate =
        ThrowawayCertificate.create(SERVER_NAME, now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofDays(1)));
    Path trust = Files.createTempFile("dnsgate-warm-up", ".pem");
    try (LoopbackDotServer server = new LoopbackDotServer(certificate)) {
      Files.writeString(trust, certificate.certificatePem());
      UpstreamGroup group = new UpstreamGroup(vertx, loops, settingsFor(server.port(), trust, upstream));
      try {
        Traffic traffic = new Traffic(group, new AnswerCache(smaller(cache), NanoClock.SYSTEM), udpPayloadSize);
        traffic.send(start + duration.toNanos(), maxQueries, upstream.totalTimeout());
        return new Result(traffic.sent, traffic.answered.get(), Duration.ofNanos(System.nanoTime() - start));
      } finally {
        group.close();
      }
    } finally {
      Files.deleteIfExists(trust);
    }
  }

  /** The real upstreams' settings, pointed at the loopback server and trusting only its certificate. */
  private static UpstreamSettings settingsFor(int port, Path trust, UpstreamSettings real) {
    return real.forServers(List.of(UpstreamServer.parse("127.0.0.1:" + port + "#" + SERVER_NAME)),
        Strategy.FAILOVER, Optional.of(trust.toString()), Map.of());
  }

  /** The same kind of cache (the same segment and ring code), bounded lower so that it evicts early. */
  private static AnswerCache.CacheSettings smaller(AnswerCache.CacheSettings real) {
    long entries = Math.min(real.maxEntries(), WARM_UP_CACHE_ENTRIES);
    // its arrays are allocated at once, beside the real cache's: a few MB are enough to evict early
    long bytes = Math.min(WARM_UP_CACHE_MAX_BYTES,
        Math.max(1, real.maxBytes() / Math.max(1, real.maxEntries()) * entries));
    return real.bounded(entries, bytes);
  }

  /** Keeps {@link #IN_FLIGHT} queries outstanding, each taking the path a forwarded query takes. */
  private static final class Traffic {

    private final Forwarder forwarder;
    private final ResponseShaper shaper;
    private final QueryDecoder decoder;
    private final Semaphore window = new Semaphore(IN_FLIGHT);
    private final AtomicLong answered = new AtomicLong();
    private long sent;

    Traffic(UpstreamGroup group, AnswerCache cache, int udpPayloadSize) {
      this.shaper = new ResponseShaper(udpPayloadSize);
      this.decoder = new QueryDecoder(udpPayloadSize, shaper);
      this.forwarder = new Forwarder(Map.of(DnsgateConfig.Upstream.DEFAULT_GROUP, group), cache, true, shaper);
    }

    void send(long deadlineNanos, long maxQueries, Duration totalTimeout) throws Exception {
      while (System.nanoTime() < deadlineNanos && sent < maxQueries) {
        window.acquire();
        long n = sent % REPEAT_EVERY == 0 && sent > 0 ? sent - 1 : sent;
        sent++;
        QueryContext ctx = ((Decoded.Query) decoder.decode(query(n), Transport.UDP, CLIENT)).context();
        Record question = ctx.question();
        RuleQuery asked = new RuleQuery(question.getName(), question.getType(), question.getDClass(), CLIENT);
        forwarder.answer(DnsgateConfig.Upstream.DEFAULT_GROUP, asked, ctx).whenComplete((answer, error) -> {
          if (error == null && answer.rcode() == Rcode.NOERROR && shaped(answer, ctx).length > Header.LENGTH) {
            answered.incrementAndGet();
          }
          window.release();
        });
      }
      if (!window.tryAcquire(IN_FLIGHT, totalTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("warm-up queries left unanswered after the total timeout");
      }
    }

    /** As QueryPipeline finishes an answer for its client. */
    private byte[] shaped(Answer answer, QueryContext ctx) {
      return answer.wire() != null ? answer.wire() : shaper.shape(answer.message(), ctx, answer.ede());
    }

    /** A query for a name of its own; every other one with EDNS, as clients differ. */
    private static byte[] query(long n) {
      try {
        Name name = Name.fromString("q" + n + "." + SERVER_NAME + ".");
        Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
        if (n % 2 == 0) {
          query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        return query.toWire();
      } catch (IOException e) {
        throw new IllegalStateException("a made-up name is always valid", e);
      }
    }
  }
}
