package dev.dnsgate.rules.rpz;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * A policy zone kept current by zone transfer from its primary: AXFR when there is no copy, then
 * IXFR on the SOA refresh timer and whenever the primary sends a NOTIFY (RFC 1995, 1996), with TSIG
 * when a key is given (RFC 8945). A transfer that fails, is cut short or does not verify changes
 * nothing: the triggers that serve are replaced only by a complete transfer, in one reference swap.
 *
 * <p>The last good copy lives on disk as a zone file (rewritten by each AXFR) plus a journal of the
 * IXFR steps since, so a restart serves the policies at once and asks only for what changed.
 */
final class TransferFeed implements RpzFeed {

  private static final Logger LOG = Logger.getLogger(TransferFeed.class);
  /** A two-million-record AXFR over a slow link takes minutes; a stalled primary must not hold the thread forever. */
  static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(5);
  /** Timers used before the first SOA is known, and the floor for a zone's own (tests use 1 s). */
  private static final long DEFAULT_RETRY_SECONDS = 60;
  private static final long MIN_TIMER_SECONDS = 1;

  private final Name origin;
  private final String zone;
  private final InetSocketAddress primary;
  private final TsigKeyFile.Key key;
  private final Path copy;
  private final Path journal;
  private final ScheduledExecutorService executor;
  private final Counter transferred;
  private final Counter upToDate;
  private final Counter failed;
  private volatile Triggers triggers = Triggers.empty();
  private volatile Instant lastUpdate;
  private volatile Instant nextRefresh;
  private volatile String lastError = "";
  private ScheduledFuture<?> next;
  private boolean stopped;
  private boolean running;
  private boolean notifiedWhileRunning;
  /** The journal has grown past the copy: the next transfer is an AXFR, which rewrites both. */
  private boolean forceAxfr;

  TransferFeed(Name origin, InetSocketAddress primary, TsigKeyFile.Key key, Path copy,
      ScheduledExecutorService executor, MeterRegistry registry) {
    this.origin = origin;
    this.zone = origin.toString(true);
    this.primary = primary;
    this.key = key;
    this.copy = copy;
    this.journal = copy.resolveSibling(copy.getFileName() + ".journal");
    this.executor = executor;
    this.transferred = transfers(registry, "transferred");
    this.upToDate = transfers(registry, "up-to-date");
    this.failed = transfers(registry, "failed");
  }

  private Counter transfers(MeterRegistry registry, String result) {
    return Counter.builder("dnsgate.rpz.transfers")
        .description("Zone transfers of policy zones, by result")
        .tag("zone", zone).tag("result", result).register(registry);
  }

  /** Serves the copy on disk, if any, at once; then transfers in the background. */
  void start() {
    loadCopy();
    schedule(0);
  }

  @Override
  public Triggers triggers() {
    return triggers;
  }

  InetSocketAddress primary() {
    return primary;
  }

  Name origin() {
    return origin;
  }

  /**
   * A NOTIFY from the primary: transfer now instead of at the next refresh, or right after the
   * transfer under way (which may have started before the change it announces).
   */
  synchronized void notified() {
    LOG.debugf("rpz %s: NOTIFY from the primary", zone);
    if (running) {
      notifiedWhileRunning = true;
    } else {
      schedule(0);
    }
  }

  @Override
  public FeedStatus status() {
    Triggers t = triggers;
    String source = "transfer from " + primary.getAddress().getHostAddress() + ":" + primary.getPort()
        + (key == null ? "" : " (TSIG key " + key.name() + ")");
    return new FeedStatus(zone, source, t.serial(), lastUpdate, nextRefresh, t.records(), t.skipped(), t.bytes(),
        lastError);
  }

  @Override
  public synchronized void stop() {
    stopped = true;
    if (next != null) {
      next.cancel(false);
    }
  }

  private synchronized void schedule(long delaySeconds) {
    if (stopped) {
      return;
    }
    if (next != null) {
      next.cancel(false);
    }
    nextRefresh = Instant.now().plusSeconds(delaySeconds);
    next = executor.schedule(this::transfer, delaySeconds, TimeUnit.SECONDS);
  }

  /** One transfer attempt; whatever happens, the next one is scheduled. */
  private void transfer() {
    synchronized (this) {
      running = true;
    }
    boolean ok = attempt();
    synchronized (this) {
      running = false;
      boolean again = notifiedWhileRunning;
      notifiedWhileRunning = false;
      schedule(again ? 0 : timer(triggers.soa(), ok));
    }
  }

  /** One AXFR or IXFR; true when it completed (or the zone was current), false when it failed. */
  private boolean attempt() {
    Triggers before = triggers;
    boolean incremental = before.soa() != null && !forceAxfr;
    TSIG tsig = key == null ? null : key.tsig();
    ZoneTransferIn xfr = incremental
        ? ZoneTransferIn.newIXFR(origin, before.serial(), true, primary, tsig)
        : ZoneTransferIn.newAXFR(origin, primary, tsig);
    xfr.setTimeout(TRANSFER_TIMEOUT);
    Receiver receiver = new Receiver(before);
    try {
      xfr.run(receiver);
      if (!receiver.started) {
        // the primary answered with its SOA alone: we have its newest serial
        upToDate.increment();
      } else {
        receiver.commit();
        transferred.increment();
        LOG.infof("rpz %s: %s to serial %d, %d policy records", zone, receiver.axfr ? "AXFR" : "IXFR",
            triggers.serial(), triggers.records());
      }
      lastError = "";
      lastUpdate = Instant.now();
      return true;
    } catch (IOException | ZoneTransferException | RuntimeException e) {
      receiver.discard();
      failed.increment();
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.warnf("rpz %s: transfer from %s failed (%s); serving serial %d", zone, primary, lastError,
          triggers.serial());
      return false;
    }
  }

  private static long timer(SOARecord soa, boolean refresh) {
    if (soa == null) {
      return DEFAULT_RETRY_SECONDS;
    }
    return Math.max(MIN_TIMER_SECONDS, refresh ? soa.getRefresh() : soa.getRetry());
  }

  /**
   * Takes one transfer's records: an AXFR into a new table and a temporary zone file, an IXFR into
   * a list of steps. Nothing serves, and nothing on disk changes, before {@link #commit}.
   */
  private final class Receiver implements ZoneTransferIn.ZoneTransferHandler {
    private final Triggers before;
    private boolean axfr;
    private boolean started;
    private Triggers.Builder builder;
    private SOARecord soa;
    private Path partial;
    private Writer partialWriter;
    private final List<Step> steps = new ArrayList<>();

    Receiver(Triggers before) {
      this.before = before;
    }

    @Override
    public void startAXFR() throws ZoneTransferException {
      axfr = true;
      started = true;
      builder = new Triggers.Builder(Math.max(1024, before.records()));
      try {
        Files.createDirectories(copy.getParent());
        partial = copy.resolveSibling(copy.getFileName() + ".partial");
        partialWriter = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ZoneTransferException("cannot write " + partial + ": " + e.getMessage());
      }
    }

    @Override
    public void startIXFR() {
      axfr = false;
      started = true;
    }

    @Override
    public void startIXFRDeletes(Record soaBefore) {
      steps.add(new Step(new ArrayList<>(), new ArrayList<>()));
    }

    @Override
    public void startIXFRAdds(Record soaAfter) {
      steps.get(steps.size() - 1).soa = (SOARecord) soaAfter;
      steps.get(steps.size() - 1).adding = true;
    }

    @Override
    public void handleRecord(Record r) throws ZoneTransferException {
      if (axfr) {
        if (r instanceof SOARecord s && r.getName().equals(origin)) {
          soa = s;
        }
        try {
          partialWriter.write(r.toString());
          partialWriter.write('\n');
        } catch (IOException e) {
          throw new ZoneTransferException("cannot write " + partial + ": " + e.getMessage());
        }
        builder.add(PolicyRecord.read(r, origin));
        return;
      }
      Step step = steps.get(steps.size() - 1);
      (step.adding ? step.added : step.deleted).add(r);
    }

    /** The transfer completed: write the copy (or the journal), then swap the triggers in. */
    void commit() throws IOException {
      if (axfr) {
        partialWriter.close();
        Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(journal);
        forceAxfr = false;
        triggers = builder.build(soa);
        return;
      }
      Triggers result = before;
      try (BufferedWriter out = Files.newBufferedWriter(journal, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        for (Step step : steps) {
          result = result.apply(read(step.deleted), read(step.added), step.soa);
          Journal.write(out, step.deleted, step.added, step.soa);
        }
      }
      forceAxfr = Files.exists(copy) && Files.size(journal) > Files.size(copy);
      triggers = result;
    }

    void discard() {
      if (partialWriter != null) {
        try {
          partialWriter.close();
          Files.deleteIfExists(partial);
        } catch (IOException e) {
          LOG.debugf("rpz %s: could not remove %s: %s", zone, partial, e.getMessage());
        }
      }
    }
  }

  /** One IXFR step: the records it deletes, then those it adds, and the SOA it ends at. */
  private static final class Step {
    final List<Record> deleted;
    final List<Record> added;
    SOARecord soa;
    boolean adding;

    Step(List<Record> deleted, List<Record> added) {
      this.deleted = deleted;
      this.added = added;
    }
  }

  private List<Object> read(List<Record> records) {
    List<Object> read = new ArrayList<>(records.size());
    for (Record r : records) {
      read.add(PolicyRecord.read(r, origin));
    }
    return read;
  }

  /** The copy on disk, with its journal replayed; a broken copy is ignored (an AXFR follows). */
  private void loadCopy() {
    if (!Files.exists(copy)) {
      return;
    }
    try {
      Triggers loaded = ZoneReader.read(copy, origin);
      for (Journal.Entry entry : Journal.read(journal)) {
        loaded = loaded.apply(read(entry.deleted()), read(entry.added()), entry.soa());
      }
      triggers = loaded;
      lastUpdate = Files.getLastModifiedTime(Files.exists(journal) ? journal : copy).toInstant();
      LOG.infof("rpz %s: serving the copy on disk, serial %d, %d policy records", zone, loaded.serial(),
          loaded.records());
    } catch (IOException | RuntimeException e) {
      lastError = "copy on disk unusable: " + e.getMessage();
      LOG.warnf("rpz %s: %s; transferring the whole zone", zone, lastError);
    }
  }

  /** Parses one record written by {@link Record#toString()} (absolute names). */
  static Record parse(String line) throws IOException {
    try (Master master = new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), Name.root)) {
      Record r = master.nextRecord();
      if (r == null) {
        throw new IOException("no record in '" + line + "'");
      }
      return r;
    }
  }
}
