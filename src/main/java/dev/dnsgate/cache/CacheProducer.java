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
    AnswerCache cache = new AnswerCache(AnswerCache.CacheSettings.from(config.cache()), NanoClock.SYSTEM);
    CaffeineCacheMetrics.monitor(registry, cache.caffeine(), "dnsgate.answers");
    return cache;
  }
}
