package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The queries outstanding on one connection, by the connection-local ID each was sent with. An answer
 * completes a query only if its ID is outstanding and its question matches, so a wrong or spoofed
 * answer never reaches a client; every query completes exactly once: answered, timed out, or failed
 * with its connection. Safe for any thread: queries are added by callers' threads, answers and
 * timeouts arrive on the connection's event loop.
 */
final class PendingQueries {

  /** What became of an answer that arrived. */
  interface Arrival {
    /** The answer matched a query; called before that query completes (its caller may go on at once). */
    void matched(UpstreamAnswer answer);

    void discarded(String reason);
  }

  private record Pending(OutboundQuery query, CompletableFuture<UpstreamAnswer> result, long deadlineNanos) {}

  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();

  /**
   * Registers a query and returns the random ID to send it with: random, so that an off-path
   * attacker cannot guess the next one.
   */
  int add(OutboundQuery query, CompletableFuture<UpstreamAnswer> result, long deadlineNanos) {
    Pending entry = new Pending(query, result, deadlineNanos);
    int id;
    do {
      id = ThreadLocalRandom.current().nextInt(0x10000);
    } while (pending.putIfAbsent(id, entry) != null);
    return id;
  }

  /** Completes the query that {@code wire} answers, or discards it; {@code arrival} is told which. */
  void answer(byte[] wire, Arrival arrival) {
    if (wire.length < 12) {
      arrival.discarded("answer shorter than a header");
      return;
    }
    int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
    Pending entry = pending.get(id);
    if (entry == null) {
      arrival.discarded("answer with an ID not outstanding");
      return;
    }
    UpstreamAnswer answer = UpstreamAnswer.received(wire);
    if (answer == null) {
      arrival.discarded("unparseable answer");
      return;
    }
    if (!entry.query().isAnsweredBy(answer)) {
      arrival.discarded("answer to a different question");
      return;
    }
    if (!pending.remove(id, entry)) {
      return; // timed out or failed meanwhile: it has its outcome already
    }
    arrival.matched(answer);
    entry.result().complete(answer);
  }

  /** Fails every query whose deadline has passed at {@code nowNanos}; returns how many. */
  int expire(long nowNanos) {
    int expired = 0;
    for (Map.Entry<Integer, Pending> e : pending.entrySet()) {
      if (nowNanos - e.getValue().deadlineNanos() >= 0 && pending.remove(e.getKey(), e.getValue())) {
        e.getValue().result().completeExceptionally(new UpstreamException(Kind.TIMEOUT, "no answer in time"));
        expired++;
      }
    }
    return expired;
  }

  /** Fails the query sent with {@code id}, if it is still outstanding. */
  void fail(int id, UpstreamException error) {
    Pending entry = pending.remove(id);
    if (entry != null) {
      entry.result().completeExceptionally(error);
    }
  }

  /** Fails every outstanding query (the connection closed). */
  void failAll(UpstreamException error) {
    pending.keySet().forEach(id -> fail(id, error));
  }

  int size() {
    return pending.size();
  }

  boolean isEmpty() {
    return pending.isEmpty();
  }
}
