package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.wire.FrameReader;
import dev.dnsgate.wire.Transport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetServer;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * DNS over TCP (RFC 7766): many queries per connection, answered as each completes (out of order),
 * an idle timeout, caps on connections in total and per client, and a cap on unanswered queries per
 * connection, past which reading pauses so one client cannot queue unbounded work.
 */
final class TcpListener {

  private final NetServer server;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();
  private volatile boolean draining;

  private TcpListener(Vertx vertx, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline) {
    NetServerOptions options =
        new NetServerOptions()
            .setTcpNoDelay(true)
            .setIdleTimeout((int) limits.idleTimeout().toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    this.server = vertx.createNetServer(options);
    server.connectHandler(socket -> accept(socket.getDelegate(), limits, pipeline));
  }

  static Uni<TcpListener> bind(
      Vertx vertx, String address, int port, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline) {
    TcpListener listener = new TcpListener(vertx, limits, pipeline);
    return listener.server.listen(port, address).map(s -> listener);
  }

  private void accept(NetSocket socket, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline) {
    if (draining) {
      socket.close();
      return;
    }
    InetAddress client = ClientAddress.of(socket.remoteAddress().hostAddress());
    AtomicInteger fromClient = perClient.computeIfAbsent(client, c -> new AtomicInteger());
    if (open.incrementAndGet() > limits.maxConnections()
        | fromClient.incrementAndGet() > limits.maxConnectionsPerClient()) {
      refused.increment();
      release(client, fromClient);
      socket.close();
      return;
    }
    socket.closeHandler(v -> release(client, fromClient));
    Context context = io.vertx.core.Vertx.currentContext();
    int cap = limits.maxInFlightPerConnection();
    int budget = limits.maxQueriesPerConnection();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger received = new AtomicInteger();
    socket.handler(
        new FrameReader(
            frame -> {
              if (draining || received.get() >= budget) {
                return; // shutting down, or over budget: queries already read are finished, new ones not
              }
              if (received.incrementAndGet() >= budget) {
                socket.pause();
              }
              if (inFlight.incrementAndGet() >= cap) {
                socket.pause();
              }
              pipeline
                  .handle(frame.getBytes(), Transport.TCP, client)
                  .thenAccept(reply -> context.runOnContext(v -> {
                    if (reply != null) {
                      socket.write(FrameReader.frame(reply));
                    }
                    int left = inFlight.decrementAndGet();
                    if (received.get() >= budget) {
                      if (left == 0) {
                        socket.close();
                      }
                    } else if (left == cap - 1) {
                      socket.resume();
                    }
                  }));
            }));
  }

  private void release(InetAddress client, AtomicInteger fromClient) {
    open.decrementAndGet();
    if (fromClient.decrementAndGet() <= 0) {
      perClient.remove(client, fromClient);
    }
  }

  /** Takes no new connections or queries; what is in flight still completes. */
  void drain() {
    draining = true;
  }

  /** Connections closed at once because a cap was reached. */
  long refusedConnections() {
    return refused.sum();
  }

  Uni<Void> close() {
    return server.close();
  }
}
