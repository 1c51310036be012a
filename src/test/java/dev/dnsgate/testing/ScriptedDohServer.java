package dev.dnsgate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/**
 * An in-process DNS-over-HTTPS upstream (RFC 8484, POST at /dns-query, HTTP/2 and HTTP/1.1 over TLS)
 * answering like {@link ScriptedDotServer#standard}; it records each query, the HTTP version it came
 * over, and how many connections were opened. Stop and start it again on the same port to fail it.
 */
public final class ScriptedDohServer implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final String certName;
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private final List<HttpVersion> versions = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean silent;
  private HttpServer server;
  private int port;

  public ScriptedDohServer(String certName) {
    this.certName = certName;
  }

  public ScriptedDohServer start() {
    return startOn(0);
  }

  public ScriptedDohServer startOn(int wanted) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true).setUseAlpn(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(TestFiles.tls(certName + ".pem"))
            .setKeyPath(TestFiles.tls(certName + ".key")));
    server = vertx.createHttpServer(options).connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(this::serve);
    try {
      server.listen(wanted, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("scripted DoH server could not start", e);
    }
    port = server.actualPort();
    return this;
  }

  private void serve(HttpServerRequest request) {
    if (!"/dns-query".equals(request.path()) || !"application/dns-message".equals(request.getHeader("content-type"))) {
      request.response().setStatusCode(400).end();
      return;
    }
    request.body().onSuccess(body -> {
      Message query;
      try {
        query = new Message(body.getBytes());
      } catch (IOException e) {
        request.response().setStatusCode(400).end();
        return;
      }
      received.add(query);
      versions.add(request.version());
      if (silent) {
        return; // the stream stays open until the client resets it
      }
      byte[] answer = ScriptedDotServer.standard(query).bytes();
      request.response().putHeader("content-type", "application/dns-message").end(Buffer.buffer(answer));
    });
  }

  /** While silent, queries are received and recorded but never answered. */
  public void silent(boolean silent) {
    this.silent = silent;
  }

  public List<Message> received() {
    return received;
  }

  public List<HttpVersion> versions() {
    return versions;
  }

  public int connections() {
    return connections.get();
  }

  public int port() {
    return port;
  }

  public void stop() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
    vertx.close();
  }
}
