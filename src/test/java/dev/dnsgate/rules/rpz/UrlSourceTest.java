package dev.dnsgate.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.match.ListSources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Policy zones from a URL: refreshed when old, and a bad download never replaces a good zone. */
class UrlSourceTest {

  private static final Name ZONE = Name.fromConstantString("web.rpz.");

  @TempDir Path cache;
  private Vertx vertx;
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>(zone(1, "first.example"));
  private final AtomicReference<Integer> status = new AtomicReference<>(200);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(r -> r.response().setStatusCode(status.get()).end(body.get()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String zone(int serial, String blocked) {
    return "$TTL 60\n@ SOA ns.web.rpz. admin.web.rpz. " + serial + " 3600 600 86400 60\n" + blocked + " CNAME .\n";
  }

  private String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/feed.rpz";
  }

  private void age() throws Exception {
    try (var files = Files.list(cache)) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
      }
    }
  }

  private static boolean blocks(RpzFeed feed, String name) {
    PolicyZone zone = new PolicyZone("web", ZONE, feed,
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.BLOCKED, "t"), new SimpleMeterRegistry());
    return zone.apply(new RuleQuery(Name.fromConstantString(name), Type.A, DClass.IN, null)) instanceof Outcome.Answer;
  }

  @Test
  void refreshedZoneReplacesTheOldOneAndABrokenDownloadNeverDoes() throws Exception {
    ListSources lists = new ListSources(cache, Duration.ofDays(1));
    RpzFeeds feeds = new RpzFeeds(new SimpleMeterRegistry());
    RpzFeed first = feeds.url(ZONE, url(), lists);
    feeds.loadFinished(true);
    assertTrue(blocks(first, "first.example."));
    assertEquals(1, first.status().serial());

    age();
    body.set(zone(2, "second.example"));
    RpzFeed second = feeds.url(ZONE, url(), lists);
    feeds.loadFinished(true);
    assertTrue(blocks(second, "second.example."));
    assertFalse(blocks(second, "first.example."));

    age();
    body.set("<html>maintenance</html>"); // served with 200, but no zone
    RpzFeed afterBadDownload = feeds.url(ZONE, url(), lists);
    feeds.loadFinished(true);
    assertTrue(blocks(afterBadDownload, "second.example."), "the zone in memory keeps serving");
    assertFalse(afterBadDownload.status().lastError().isEmpty());

    RpzFeed afterRestart = new RpzFeeds(new SimpleMeterRegistry()).url(ZONE, url(), lists);
    assertTrue(blocks(afterRestart, "second.example."), "a restart serves the last good copy on disk");
    assertEquals(2, afterRestart.status().serial());
  }

  @Test
  void aZoneNeverFetchedHasNoPoliciesAndSaysWhy() {
    status.set(503);
    RpzFeed feed = new RpzFeeds(new SimpleMeterRegistry()).url(ZONE, url(), new ListSources(cache, Duration.ofDays(1)));

    assertFalse(blocks(feed, "first.example."));
    assertEquals(-1, feed.status().serial());
    assertEquals("never downloaded", feed.status().lastError());
  }
}
