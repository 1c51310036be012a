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

/**
 * Runs the warm-up at start on a thread of its own, once the listeners are bound (dev.dnsgate.lifecycle
 * states the order): clients are answered from the first moment, and the warm-up only adds compiled
 * code while they are few. A 5 s warm-up before listening cost a restarted resolver's clients 5 s
 * without DNS (BENCHMARKS.md, Start-up).
 */
@ApplicationScoped
public class WarmUpOnStart {

  private static final Logger LOG = Logger.getLogger(WarmUpOnStart.class);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private volatile WarmUp.Result lastRun;
  private Thread thread;

  private final DnsgateConfig config;
  private final Vertx vertx;
  private final EventLoops loops;

  public WarmUpOnStart(DnsgateConfig config, Vertx vertx, EventLoops loops) {
    this.config = config;
    this.vertx = vertx;
    this.loops = loops;
  }

  /** Starts warming up for {@code dnsgate.warm-up.duration} in the background; never fails. */
  public synchronized void start() {
    Duration duration = config.warmUp().duration();
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    thread = new Thread(() -> run(duration), "dnsgate-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Ends a warm-up still running and waits for it to close its loopback server and connections. */
  public synchronized void stop() {
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(STOP_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run(Duration duration) {
    try {
      WarmUp.Result result = WarmUp.run(vertx, loops, UpstreamSettings.from(config.upstream()),
          AnswerCache.CacheSettings.from(config.cache()), config.listen().udpPayloadSize(), duration, Long.MAX_VALUE);
      lastRun = result;
      LOG.infof("warm-up: %d made-up queries over loopback TLS, %d answered, in %d ms", result.sent(),
          result.answered(), result.took().toMillis());
    } catch (InterruptedException e) {
      LOG.info("warm-up ended early: shutting down");
    } catch (Exception e) {
      // Only the first seconds under load are slower without it: never a reason to stop serving.
      LOG.warnf("warm-up skipped: %s", e.toString());
    }
  }

  /** What the warm-up at start did; empty when it was off or failed. */
  public Optional<WarmUp.Result> lastRun() {
    return Optional.ofNullable(lastRun);
  }
}
