package dev.dnsgate.upstream;

import static dev.dnsgate.upstream.UpstreamTestSupport.outbound;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dnsgate.testing.DnsClient;
import dev.dnsgate.testing.ScriptedDotServer;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** A Vert.x instance, scripted servers and the group under test, created and closed per test. */
abstract class UpstreamTestBase {

  protected Vertx vertx;
  protected UpstreamGroup group;
  private final List<ScriptedDotServer> servers = new ArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeEverything() throws Exception {
    if (group != null) {
      group.close();
    }
    servers.forEach(ScriptedDotServer::close);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  protected ScriptedDotServer server(String cert) {
    return started(new ScriptedDotServer(cert));
  }

  /** Starts {@code server} (configured by the test) and closes it after the test. */
  protected ScriptedDotServer started(ScriptedDotServer server) {
    servers.add(server.start());
    return server;
  }

  protected Message resolve(String name) throws Exception {
    return group.resolve(outbound(DnsClient.query(name, Type.A))).get(5, TimeUnit.SECONDS).message();
  }

  protected UpstreamException failure(String name) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> resolve(name));
    return UpstreamException.of(e.getCause());
  }
}
