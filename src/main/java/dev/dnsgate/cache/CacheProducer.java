package dev.dnsgate.cache;

import dev.dnsgate.config.DnsgateConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the answer cache from the configuration and publishes its size and hit ratio. */
@ApplicationScoped
public class CacheProducer {

  // @Singleton, not @ApplicationScoped: used on every query, and a client proxy looks the instance up
  // in its context on each call.
  @Produces
  @Singleton
  AnswerCache answerCache(DnsgateConfig config, MeterRegistry registry) {
    DnsgateConfig.Cache c = config.cache();
    AnswerCache cache = new AnswerCache(new AnswerCache.CacheSettings(c.maxEntries(), c.maxBytes(),
        c.minTtl(), c.maxTtl(), c.servfailTtl(), c.serveStale(), c.staleRetention(), c.prefetch()), NanoClock.SYSTEM);
    CaffeineCacheMetrics.monitor(registry, cache.caffeine(), "dnsgate.answers");
    return cache;
  }
}
