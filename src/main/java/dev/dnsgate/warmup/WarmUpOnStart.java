package dev.dnsgate.warmup;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.upstream.UpstreamSettings;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Runs the warm-up at start, before the listeners bind (dev.dnsgate.lifecycle states the order). */
@ApplicationScoped
public class WarmUpOnStart {

  private static final Logger LOG = Logger.getLogger(WarmUpOnStart.class);

  private volatile WarmUp.Result lastRun;

  private final DnsgateConfig config;
  private final Vertx vertx;
  private final EventLoops loops;

  public WarmUpOnStart(DnsgateConfig config, Vertx vertx, EventLoops loops) {
    this.config = config;
    this.vertx = vertx;
    this.loops = loops;
  }

  /** Warms up for {@code dnsgate.warm-up.duration}; never fails (a failed warm-up is logged). */
  public void run() {
    Duration duration = config.warmUp().duration();
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    try {
      WarmUp.Result result = WarmUp.run(vertx, loops, UpstreamSettings.from(config.upstream()),
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
