package dev.dnsgate.cache;

import dev.dnsgate.config.DnsgateConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.function.ToDoubleFunction;

/**
 * Builds the answer cache from the configuration and publishes its size, hits, misses, puts and
 * evictions under the names Micrometer gives any cache (cache_gets_total{result="hit"} and so on).
 */
@ApplicationScoped
public class CacheProducer {

  private static final Tags TAGS = Tags.of("cache", "dnsgate.answers");
  private static final long OFF_BYTES = 1024;

  // @Singleton, not @ApplicationScoped: used on every query, and a client proxy looks the instance up
  // in its context on each call.
  @Produces
  @Singleton
  AnswerCache answerCache(DnsgateConfig config, MeterRegistry registry) {
    AnswerCache.CacheSettings settings = AnswerCache.CacheSettings.from(config.cache());
    if (!config.cache().enabled()) {
      // nothing is stored; the smallest cache keeps the routes and meters that read it working
      // without allocating max-bytes at start
      settings = settings.bounded(1, OFF_BYTES);
    }
    AnswerCache cache = new AnswerCache(settings, NanoClock.SYSTEM);
    Gauge.builder("cache.size", cache, AnswerCache::size).tags(TAGS)
        .description("The number of entries in this cache").register(registry);
    counter(registry, "cache.gets", cache, AnswerCache::hits, Tags.of("result", "hit"),
        "Lookups that found a fresh answer");
    counter(registry, "cache.gets", cache, AnswerCache::misses, Tags.of("result", "miss"), "Lookups that found none");
    counter(registry, "cache.puts", cache, AnswerCache::puts, Tags.empty(), "Answers stored");
    counter(registry, "cache.evictions", cache, AnswerCache::evictions, Tags.empty(), "Entries that left to make room");
    return cache;
  }

  private static void counter(MeterRegistry registry, String name, AnswerCache cache,
      ToDoubleFunction<AnswerCache> value, Tags tags, String description) {
    FunctionCounter.builder(name, cache, value).tags(TAGS.and(tags)).description(description).register(registry);
  }
}
