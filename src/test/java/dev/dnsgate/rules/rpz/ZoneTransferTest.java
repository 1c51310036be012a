package dev.dnsgate.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.testing.Eventually;
import dev.dnsgate.testing.ZonePrimary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** Policy zones by AXFR and IXFR from an in-process primary: signed, cut short, restarted. */
class ZoneTransferTest {

  private static final Name ZONE = Name.fromConstantString("feed.rpz.");
  private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";

  @TempDir Path dir;
  private ZonePrimary primary;
  private ScheduledExecutorService executor;
  private final List<TransferFeed> feeds = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    primary = new ZonePrimary(ZONE);
    executor = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() throws IOException {
    feeds.forEach(TransferFeed::stop);
    executor.shutdownNow();
    primary.close();
  }

  /** Serial {@code serial}: names bad0..bad{count-1}.example, each CNAME . (NXDOMAIN). */
  private static List<Record> version(long serial, int from, int count) {
    List<Record> records = new ArrayList<>();
    records.add(new SOARecord(ZONE, DClass.IN, 60, Name.fromConstantString("ns.feed.rpz."),
        Name.fromConstantString("admin.feed.rpz."), serial, 3600, 600, 86400, 60));
    for (int i = from; i < from + count; i++) {
      records.add(new CNAMERecord(Name.fromConstantString("bad" + i + ".example.feed.rpz."), DClass.IN, 60, Name.root));
    }
    return records;
  }

  private TransferFeed feed(TsigKeyFile.Key key) {
    TransferFeed feed = new TransferFeed(ZONE, new InetSocketAddress("127.0.0.1", primary.port()), key,
        dir.resolve("feed.zone"), executor, new SimpleMeterRegistry());
    feeds.add(feed);
    feed.start();
    return feed;
  }

  private static TsigKeyFile.Key key(String secret) {
    return new TsigKeyFile.Key(new TSIG(TSIG.HMAC_SHA256, Name.fromConstantString("feed-key."), secret),
        "feed-key", secret);
  }

  private static boolean blocks(TransferFeed feed, String name) {
    PolicyZone zone = new PolicyZone("feed", ZONE, feed,
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.BLOCKED, "t"), new SimpleMeterRegistry());
    Outcome outcome = zone.apply(new RuleQuery(Name.fromConstantString(name), Type.A, DClass.IN, null));
    return outcome instanceof Outcome.Answer;
  }

  private static void awaitSerial(TransferFeed feed, long serial) {
    Eventually.await("serial " + serial + " (now " + feed.status().serial() + ", " + feed.status().lastError() + ")",
        () -> feed.triggers().serial() == serial, 5000);
  }

  @Test
  void axfrThenIxfrOnNotifyWithTsigAppliesOnlyTheChanges() {
    primary.sign(key(SECRET).tsig());
    primary.publish(version(1, 0, 1000));
    TransferFeed feed = feed(key(SECRET));
    awaitSerial(feed, 1);
    assertEquals(1000, feed.status().records());

    primary.publish(version(2, 10, 1000)); // bad0..bad9 deleted, bad1000..bad1009 added
    feed.notified();
    awaitSerial(feed, 2);

    assertEquals(List.of("AXFR", "IXFR 1"), primary.requests());
    assertFalse(blocks(feed, "bad3.example."));
    assertTrue(blocks(feed, "bad10.example."));
    assertTrue(blocks(feed, "bad1005.example."));
    assertEquals(1000, feed.status().records());
    assertEquals("", feed.status().lastError());
  }

  @Test
  void transferCutInTheMiddleKeepsThePoliciesThatServe() {
    primary.publish(version(1, 0, 500));
    TransferFeed feed = feed(null);
    awaitSerial(feed, 1);

    primary.publish(version(2, 300, 500));
    primary.cutAfter(2);
    feed.notified();
    Eventually.await("a failed transfer", () -> !feed.status().lastError().isEmpty(), 5000);

    assertEquals(1, feed.triggers().serial());
    assertTrue(blocks(feed, "bad0.example."), "still serial 1's policies");
    assertFalse(blocks(feed, "bad700.example."));
    assertEquals(500, feed.status().records());
  }

  @Test
  void firstTransferCutShortLeavesNoCopyAndNoHalfZone() throws IOException {
    primary.publish(version(1, 0, 500));
    primary.cutAfter(3);
    TransferFeed feed = feed(null);
    Eventually.await("a failed transfer", () -> !feed.status().lastError().isEmpty(), 5000);

    assertEquals(-1, feed.triggers().serial());
    assertFalse(blocks(feed, "bad0.example."), "the 150 records received are not served");
    try (var files = Files.list(dir)) {
      assertEquals(0, files.count(), "neither a copy nor a partial file stays on disk");
    }
  }

  @Test
  void badTsigIsRefusedAndChangesNothing() {
    primary.publish(version(1, 0, 100));
    TransferFeed good = feed(null);
    awaitSerial(good, 1);

    primary.sign(key(SECRET).tsig());
    primary.publish(version(2, 50, 100));
    good.notified(); // unsigned, to a primary that now wants a key
    Eventually.await("refused " + primary.requests(), () -> !good.status().lastError().isEmpty(), 5000);
    assertEquals(1, good.triggers().serial());

    TransferFeed wrongKey = new TransferFeed(ZONE, new InetSocketAddress("127.0.0.1", primary.port()),
        key("d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc="), dir.resolve("other.zone"), executor,
        new SimpleMeterRegistry());
    feeds.add(wrongKey);
    wrongKey.start();
    Eventually.await("refused", () -> !wrongKey.status().lastError().isEmpty(), 5000);
    assertEquals(-1, wrongKey.triggers().serial());
    assertTrue(primary.requests().stream().anyMatch(r -> r.startsWith("refused")));
  }

  @Test
  void answersSignedWithAnotherKeyAreRejected() {
    primary.sign(key(SECRET).tsig());
    primary.signResponsesWith(key("d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc=").tsig());
    primary.publish(version(1, 0, 100));

    TransferFeed feed = feed(key(SECRET));
    Eventually.await("a failed transfer", () -> !feed.status().lastError().isEmpty(), 5000);

    assertEquals(List.of("AXFR"), primary.requests(), "the request itself was accepted");
    assertEquals(-1, feed.triggers().serial());
    assertFalse(blocks(feed, "bad1.example."));
  }

  @Test
  void restartServesTheCopyOnDiskAtOnceThenAsksOnlyForChanges() {
    primary.publish(version(1, 0, 200));
    TransferFeed first = feed(null);
    awaitSerial(first, 1);
    primary.publish(version(2, 100, 200));
    first.notified();
    awaitSerial(first, 2);
    first.stop();

    primary.publish(version(3, 150, 200));
    TransferFeed restarted = feed(null);

    assertTrue(restarted.triggers().serial() >= 2, "serves its copy before any transfer");
    assertTrue(blocks(restarted, "bad250.example."));
    awaitSerial(restarted, 3);
    assertEquals("IXFR 2", primary.requests().get(primary.requests().size() - 1));
    assertTrue(blocks(restarted, "bad349.example."));
    assertFalse(blocks(restarted, "bad120.example."));
  }
}
