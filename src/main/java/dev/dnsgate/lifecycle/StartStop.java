package dev.dnsgate.lifecycle;

import dev.dnsgate.listen.DnsListeners;
import dev.dnsgate.resolve.QueryObserver;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.rules.rpz.RpzFeeds;
import dev.dnsgate.upstream.UpstreamGroups;
import dev.dnsgate.warmup.WarmUpOnStart;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.lang.management.ManagementFactory;
import org.jboss.logging.Logger;

/**
 * The one place that says in which order dnsgate starts and stops, and why. Components have start
 * and stop methods and no opinion about their turn; a new listener joins the list in DnsListeners,
 * a new long-lived part gets its line here.
 */
@ApplicationScoped
class StartStop {

  private static final Logger LOG = Logger.getLogger(StartStop.class);

  private final LiveRules rules;
  private final WarmUpOnStart warmUp;
  private final DnsListeners listeners;
  private final UpstreamGroups upstreams;
  private final Instance<QueryObserver> observers;
  private final RpzFeeds policyZones;

  StartStop(LiveRules rules, WarmUpOnStart warmUp, DnsListeners listeners, UpstreamGroups upstreams,
      Instance<QueryObserver> observers, RpzFeeds policyZones) {
    this.policyZones = policyZones;
    this.rules = rules;
    this.warmUp = warmUp;
    this.listeners = listeners;
    this.upstreams = upstreams;
    this.observers = observers;
  }

  void start(@Observes StartupEvent event) {
    long began = System.currentTimeMillis();
    // 1. upstream connections first, on the loops the UDP sockets will leave them: a cold JVM's first
    //    TLS handshakes (~0.3-1 s) then run on the event loops while this thread loads the rules,
    //    and the first forwarded query finds a connection
    listeners.reserveLoops();
    upstreams.connect();
    // 2. rules: a bad rule file stops start-up before a socket opens, and the first query sees them;
    //    policy zones transferred before serve their copy on disk at once, then transfer in the background
    rules.start(upstreams.names());
    long rulesLoaded = System.currentTimeMillis();
    // 3. one full collection, while no client waits: what start-up left in the old generation (the
    //    framework's and the rule parsing's garbage) otherwise went in a full collection of 23-42 ms
    //    some seconds into serving, in 3 of 4 JVMs (BENCHMARKS.md, "The answer cache in a few
    //    arrays"); not in tests and dev mode, whose JVM serves nobody and would pay 0.2-0.5 s a restart
    if (LaunchMode.current() == LaunchMode.NORMAL) {
      System.gc();
    }
    long collected = System.currentTimeMillis();
    // 4. listeners
    listeners.start();
    // 5. the JIT warm-up, after listening: it must not keep clients waiting (issue 15)
    warmUp.start();
    long now = System.currentTimeMillis();
    LOG.infof("start-up: listening %d ms after the JVM started (framework %d ms, rules %d ms, collection %d ms,"
        + " listeners %d ms)", now - jvmStarted(), began - jvmStarted(), rulesLoaded - began, collected - rulesLoaded,
        now - collected);
  }

  private static long jvmStarted() {
    return ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  void stop(@Observes ShutdownEvent event) {
    try {
      // 0. a warm-up still running ends first: its connections use the event loops
      warmUp.stop();
      // 1. listeners drain: readiness goes down, queries in flight still get their grace period...
      listeners.stop();
    } finally {
      // 2. ...which needs the upstream connections, so they close after; zone transfers after the
      // rules, which keep their policies until then; the observers last, so that the query log writes
      // the answers given while draining
      try {
        upstreams.close();
        rules.stop();
        policyZones.stop();
      } finally {
        observers.forEach(QueryObserver::close);
      }
    }
  }
}
