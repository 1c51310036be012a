package dev.dnsgate.warmup;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.upstream.UpstreamSettings;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Runs the warm-up after the rules have loaded (priority 1) and before the listeners bind (2500). */
@ApplicationScoped
public class WarmUpOnStart {

  private static final Logger LOG = Logger.getLogger(WarmUpOnStart.class);

  private volatile WarmUp.Result lastRun;

  void run(@Observes @Priority(2000) StartupEvent event, DnsgateConfig config, Vertx vertx) {
    Duration duration = config.warmUp().duration();
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    try {
      WarmUp.Result result = WarmUp.run(vertx, UpstreamSettings.from(config.upstream()),
          AnswerCache.CacheSettings.from(config.cache()), config.listen().udpPayloadSize(), duration, Long.MAX_VALUE);
      lastRun = result;
      LOG.infof("warm-up: %d made-up queries over loopback TLS, %d answered, in %d ms; now listening",
          result.sent(), result.answered(), result.took().toMillis());
    } catch (Exception e) {
      // Only the first seconds under load are slower without it: never a reason not to start.
      LOG.warnf("warm-up skipped: %s", e.toString());
    }
  }

  /** What the warm-up at start did; empty when it was off or failed. */
  public Optional<WarmUp.Result> lastRun() {
    return Optional.ofNullable(lastRun);
  }
}
