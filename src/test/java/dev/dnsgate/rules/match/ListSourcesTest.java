package dev.dnsgate.rules.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.xbill.DNS.Name;

/** Block lists from URLs: downloaded into the cache folder, refreshed when old, last good copy kept. */
class ListSourcesTest {

  @TempDir Path cache;
  private Vertx vertx;
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("0.0.0.0 first.example\n");
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

  private String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/list.txt";
  }

  private static boolean blocks(BlockList list, String name) throws Exception {
    return list.blocks(Name.fromString(name, Name.root));
  }

  /** Makes every cached copy look older than the refresh interval. */
  private void age() throws Exception {
    try (var files = Files.list(cache)) {
      for (Path p : files.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
      }
    }
  }

  @Test
  void downloadedListIsRefreshedWhenOldAndTheLastGoodCopyServesWhenADownloadFails() throws Exception {
    ListSources sources = new ListSources(cache, Duration.ofDays(1));
    assertTrue(blocks(sources.load(url(), null), "first.example"));

    body.set("0.0.0.0 second.example\n");
    assertTrue(blocks(sources.load(url(), null), "first.example"), "fresh copy: not fetched again");

    age();
    BlockList refreshed = sources.load(url(), null);
    assertTrue(blocks(refreshed, "second.example"));
    assertFalse(blocks(refreshed, "first.example"));

    age();
    status.set(500);
    assertTrue(blocks(sources.load(url(), null), "second.example"), "failed download: last good copy");
  }

  @Test
  void aListNeverFetchedIsEmptyNotFatal() throws Exception {
    status.set(404);
    assertEquals(0, new ListSources(cache, Duration.ofDays(1)).load(url(), null).entries());
  }
}
