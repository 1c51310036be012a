package dev.dnsgate.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.Settings;
import dev.dnsgate.upstream.UpstreamServer;
import dev.dnsgate.upstream.UpstreamSettings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The warm-up answers its own queries over verified loopback TLS and never touches the real upstreams. */
class WarmUpTest {

  private final Vertx vertx = Vertx.vertx();
  private final ScriptedDotServer configured = new ScriptedDotServer("dot.test").start();

  @AfterEach
  void close() throws Exception {
    configured.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyMadeUpQueryIsAnsweredAndTheConfiguredUpstreamSeesNothing() throws Exception {
    UpstreamSettings real =
        Settings.upstream(List.of(UpstreamServer.parse("127.0.0.1:" + configured.port() + "#dot.test")), u -> { });
    AnswerCache.CacheSettings cache = Settings.cache(c -> c.prefetch = false);

    WarmUp.Result result = WarmUp.run(vertx, new EventLoops(vertx), real, cache, 1232, Duration.ofSeconds(30), 3_000);

    assertEquals(3_000, result.sent());
    assertEquals(3_000, result.answered());
    assertEquals(0, configured.acceptedConnections());
    assertEquals(0, configured.received().size());
  }
}
