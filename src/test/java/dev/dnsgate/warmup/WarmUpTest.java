package dev.dnsgate.warmup;

import dev.dnsgate.loops.EventLoops;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.config.DnsgateConfig.Upstream.Strategy;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.testing.TestFiles;
import dev.dnsgate.upstream.UpstreamServer;
import dev.dnsgate.upstream.UpstreamSettings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    UpstreamSettings real = new UpstreamSettings(
        List.of(UpstreamServer.parse("127.0.0.1:" + configured.port() + "#dot.test")), Strategy.FAILOVER,
        Optional.of(TestFiles.tls("test-ca.pem")), Map.of(), Duration.ofSeconds(2), Duration.ofSeconds(5),
        true, 2, 256, Duration.ofSeconds(8), 3, Duration.ofSeconds(1));
    AnswerCache.CacheSettings cache = new AnswerCache.CacheSettings(100_000, 64L << 20, 0, 86_400,
        Duration.ofSeconds(5), false, Duration.ofHours(1), false);

    WarmUp.Result result = WarmUp.run(vertx, new EventLoops(vertx), real, cache, 1232, Duration.ofSeconds(30), 3_000);

    assertEquals(3_000, result.sent());
    assertEquals(3_000, result.answered());
    assertEquals(0, configured.acceptedConnections());
    assertEquals(0, configured.received().size());
  }
}
