package dev.dnsgate.cache;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.xbill.DNS.Message;

/**
 * Identical queries in flight at the same time go upstream once: the first asks, the others wait
 * for its answer. Each caller gets its own copy of the answer, since shaping changes messages.
 */
public final class Coalescer {

  private final Map<CacheKey, CompletableFuture<Message>> inFlight = new ConcurrentHashMap<>();
  private final LongAdder joined = new LongAdder();

  public CompletableFuture<Message> resolve(CacheKey key, Supplier<CompletableFuture<Message>> upstream) {
    CompletableFuture<Message> mine = new CompletableFuture<>();
    CompletableFuture<Message> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      joined.increment();
      return leader.thenApply(Message::clone);
    }
    upstream.get().whenComplete((answer, error) -> {
      inFlight.remove(key, mine);
      if (error != null) {
        mine.completeExceptionally(error);
      } else {
        mine.complete(answer);
      }
    });
    return mine.thenApply(Message::clone);
  }

  /** Queries that waited for another's upstream exchange instead of making their own. */
  public long joinedQueries() {
    return joined.sum();
  }
}
