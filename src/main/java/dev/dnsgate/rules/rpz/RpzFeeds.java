package dev.dnsgate.rules.rpz;

import dev.dnsgate.resolve.NotifyReceiver;
import dev.dnsgate.rules.match.ListSources;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * The sources of every policy zone, kept across rule reloads: a reload of the rules folder must
 * not transfer a two-million-record zone again, nor re-read an unchanged file. Each source has a
 * key (kind, zone, where, and for files their size and time); a load reuses the source of an equal
 * key, and sources no live rule uses are stopped once a load is applied.
 *
 * <p>Also the receiver of NOTIFY messages, and what health, explain and metrics read.
 */
@Singleton
public class RpzFeeds implements NotifyReceiver {

  private static final Logger LOG = Logger.getLogger(RpzFeeds.class);

  private final MeterRegistry registry;
  private volatile Map<String, RpzFeed> live = Map.of();
  private final Map<String, RpzFeed> building = new HashMap<>();
  /** The newest feed of each zone name, which the per-zone gauges read. */
  private final Map<String, RpzFeed> byZone = new ConcurrentHashMap<>();
  private ScheduledExecutorService transfers;

  public RpzFeeds(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A zone file under the rules folder; re-read only when its size or time changes. */
  synchronized RpzFeed file(Name origin, Path file) throws IOException {
    String key = "file|" + origin + "|" + file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file);
    RpzFeed feed = reuse(key);
    if (feed == null) {
      long start = System.nanoTime();
      Triggers triggers = ZoneReader.read(file, origin);
      LOG.infof("rpz %s: %d policy records from %s in %d ms (%d skipped)", origin, triggers.records(), file,
          (System.nanoTime() - start) / 1_000_000, triggers.skipped());
      feed = new StaticFeed(origin.toString(true), file.toString(), triggers, null, "");
    }
    return use(key, feed);
  }

  /**
   * A zone downloaded over http(s) into the list cache and fetched again when its copy is older than
   * the list refresh. A download that fails, or that is not a complete zone (cut short, an error
   * page), leaves the last good zone serving: the previous feed in memory, else the last copy that
   * read as a complete zone, kept beside the download for restarts. A URL never fetched serves no
   * policies (with a warning), so that start-up goes on.
   */
  synchronized RpzFeed url(Name origin, String url, ListSources lists) {
    String prefix = "url|" + origin + "|" + url + "|";
    String zone = origin.toString(true);
    Path good = lists.cacheDir().resolve("rpz-" + ListSources.digest(prefix, 12) + ".good.zone");
    Path copy = lists.localCopy(url);
    String error = copy == null ? "never downloaded" : "";
    if (copy != null) {
      try {
        String key = prefix + Files.getLastModifiedTime(copy);
        RpzFeed feed = reuse(key);
        if (feed == null) {
          Instant next = Files.getLastModifiedTime(copy).toInstant().plus(lists.refresh());
          feed = new StaticFeed(zone, url, ZoneReader.read(copy, origin), next, "");
          Files.copy(copy, good, StandardCopyOption.REPLACE_EXISTING);
        }
        return use(key, feed);
      } catch (IOException e) {
        error = e.getMessage();
        LOG.warnf("rpz %s: %s; keeping the last good copy", zone, error);
      }
    }
    for (Map.Entry<String, RpzFeed> previous : live.entrySet()) {
      if (previous.getKey().startsWith(prefix)) {
        RpzFeed old = previous.getValue();
        return use(previous.getKey(), new StaticFeed(zone, url, old.triggers(), old.status().nextRefresh(), error));
      }
    }
    if (Files.exists(good)) {
      try {
        return use(prefix + "good", new StaticFeed(zone, url, ZoneReader.read(good, origin), null, error));
      } catch (IOException e) {
        LOG.warnf("rpz %s: last good copy unusable: %s", zone, e.getMessage());
      }
    }
    LOG.warnf("rpz %s: no good copy of %s yet; the zone has no policies until a download succeeds", zone, url);
    return use(prefix + "none", new StaticFeed(zone, url, Triggers.empty(), null, error));
  }

  /** A zone transferred from {@code primary}, its copy kept under {@code cacheDir}. */
  synchronized RpzFeed transfer(Name origin, InetSocketAddress primary, TsigKeyFile.Key key, Path cacheDir) {
    String id = "xfr|" + origin + "|" + primary + "|" + (key == null ? "" : key.name() + "|" + key.fingerprint());
    RpzFeed feed = reuse(id);
    if (feed == null) {
      Path copy = cacheDir.resolve("rpz-" + ListSources.digest(origin + "|" + primary, 12) + ".zone");
      TransferFeed created = new TransferFeed(origin, primary, key, copy, executor(), registry);
      created.start();
      feed = created;
    }
    return use(id, feed);
  }

  private RpzFeed reuse(String key) {
    RpzFeed feed = building.get(key);
    return feed != null ? feed : live.get(key);
  }

  private RpzFeed use(String key, RpzFeed feed) {
    building.put(key, feed);
    String zone = feed.status().zone();
    if (byZone.put(zone, feed) == null) {
      registerGauges(zone);
    }
    return feed;
  }

  private void registerGauges(String zone) {
    gauge("dnsgate.rpz.serial", "SOA serial of the policy zone that serves (-1: none yet)", zone,
        s -> s.serial());
    gauge("dnsgate.rpz.records", "Policy records that serve", zone, s -> s.records());
    gauge("dnsgate.rpz.skipped", "Records of the zone a forwarder cannot apply (NSDNAME, NSIP)", zone,
        s -> s.skipped());
    gauge("dnsgate.rpz.last.update", "When the serving copy was read or transferred (epoch seconds)", zone,
        s -> s.lastUpdate() == null ? 0 : s.lastUpdate().getEpochSecond());
    gauge("dnsgate.rpz.next.refresh", "When the source is checked next (epoch seconds; 0: on edit only)", zone,
        s -> s.nextRefresh() == null ? 0 : s.nextRefresh().getEpochSecond());
  }

  private void gauge(String name, String description, String zone, java.util.function.ToDoubleFunction<FeedStatus> value) {
    Gauge.builder(name, byZone, m -> {
      RpzFeed feed = m.get(zone);
      return feed == null ? Double.NaN : value.applyAsDouble(feed.status());
    }).description(description).tag("zone", zone).register(registry);
  }

  /**
   * Called after each load: an applied load's sources become the live ones and the others stop; a
   * failed load's new sources stop, and the live ones go on.
   */
  synchronized void loadFinished(boolean applied) {
    Map<String, RpzFeed> keep = applied ? Map.copyOf(building) : live;
    Set<RpzFeed> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    kept.addAll(keep.values());
    List<RpzFeed> all = new ArrayList<>(live.values());
    all.addAll(building.values());
    for (RpzFeed feed : all) {
      if (!kept.contains(feed)) {
        feed.stop();
      }
    }
    live = keep;
    building.clear();
    byZone.entrySet().removeIf(e -> !kept.contains(e.getValue()));
    for (RpzFeed feed : kept) {
      byZone.put(feed.status().zone(), feed);
    }
  }

  @Override
  public int notified(Name zone, InetAddress from) {
    for (RpzFeed feed : live.values()) {
      if (feed instanceof TransferFeed t && t.origin().equals(zone) && t.primary().getAddress().equals(from)) {
        t.notified();
        return Rcode.NOERROR;
      }
    }
    LOG.debugf("NOTIFY for %s from %s refused: not that zone's primary", zone, from);
    return Rcode.REFUSED;
  }

  /** Every live source's state, in no particular order. */
  public List<FeedStatus> statuses() {
    return live.values().stream().map(RpzFeed::status).toList();
  }

  /** Stops every transfer; called once at shutdown (see StartStop). */
  public synchronized void stop() {
    live.values().forEach(RpzFeed::stop);
    if (transfers != null) {
      transfers.shutdownNow();
    }
  }

  private ScheduledExecutorService executor() {
    if (transfers == null) {
      transfers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dnsgate-rpz-transfers");
        t.setDaemon(true);
        return t;
      });
    }
    return transfers;
  }
}
