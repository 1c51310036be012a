package dev.dnsgate.cache;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Identical queries in flight at the same time go upstream once: the first asks, the others wait
 * for its answer. Every caller gets the same result object, so results must be immutable or copied
 * by whoever changes them.
 *
 * @param <T> what one upstream exchange yields
 */
public final class Coalescer<T> {

  private static final Logger LOG = Logger.getLogger(Coalescer.class);

  private final Map<CacheKey, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();
  private final LongAdder joined = new LongAdder();

  public CompletableFuture<T> resolve(CacheKey key, Supplier<CompletableFuture<T>> upstream) {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> leader = inFlight.putIfAbsent(key, mine);
    if (leader != null) {
      joined.increment();
      return leader;
    }
    exchange(upstream).whenComplete((result, error) -> {
      inFlight.remove(key, mine);
      if (error != null) {
        mine.completeExceptionally(error);
      } else {
        mine.complete(result);
      }
    });
    return mine;
  }

  /**
   * The exchange, or its failure when starting it threw: a throw must still complete {@code mine},
   * or its key would wait forever and every later identical query with it (CoalescerTest).
   */
  private static <T> CompletableFuture<T> exchange(Supplier<CompletableFuture<T>> upstream) {
    try {
      return upstream.get();
    } catch (RuntimeException e) {
      LOG.errorf(e, "starting an upstream exchange failed");
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Queries that waited for another's upstream exchange instead of making their own. */
  public long joinedQueries() {
    return joined.sum();
  }
}
