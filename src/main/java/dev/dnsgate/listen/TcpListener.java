package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.wire.FrameReader;
import dev.dnsgate.wire.IpLiteral;
import dev.dnsgate.wire.Transport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
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
    InetAddress client = IpLiteral.parse(socket.remoteAddress().hostAddress()).orElseThrow();
    AtomicInteger fromClient = perClient.computeIfAbsent(client, c -> new AtomicInteger());
    // both counters move (no short-circuit), so that release() can always undo both
    if (open.incrementAndGet() > limits.maxConnections()
        | fromClient.incrementAndGet() > limits.maxConnectionsPerClient()) {
      refused.increment();
      release(client, fromClient);
      socket.close();
      return;
    }
    socket.closeHandler(v -> release(client, fromClient));
    Connection connection = new Connection(socket, client, limits, pipeline);
    socket.handler(new FrameReader(connection::onQuery));
  }

  /**
   * One client connection: queries are answered as they complete; reading pauses at the in-flight
   * cap and stops for good at the query budget, after which the connection closes once answered.
   * Counters are touched from the connection's own context only (answers hop back onto it).
   */
  private final class Connection {
    private final NetSocket socket;
    private final InetAddress client;
    private final QueryPipeline pipeline;
    private final Context context = io.vertx.core.Vertx.currentContext();
    private final int cap;
    private final int budget;
    private int inFlight;
    private int received;

    Connection(NetSocket socket, InetAddress client, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline) {
      this.socket = socket;
      this.client = client;
      this.pipeline = pipeline;
      this.cap = limits.maxInFlightPerConnection();
      this.budget = limits.maxQueriesPerConnection();
    }

    void onQuery(Buffer frame) {
      if (draining || received >= budget) {
        return; // shutting down, or over budget: queries already read finish, new ones are not taken
      }
      received++;
      inFlight++;
      if (received >= budget || inFlight >= cap) {
        socket.pause();
      }
      pipeline.handle(frame.getBytes(), Transport.TCP, client)
          .thenAccept(reply -> context.runOnContext(v -> onAnswer(reply)));
    }

    private void onAnswer(byte[] reply) {
      if (reply != null) {
        socket.write(FrameReader.frame(reply));
      }
      inFlight--;
      if (received >= budget) {
        if (inFlight == 0) {
          socket.close();
        }
      } else if (inFlight == cap - 1) {
        socket.resume();
      }
    }
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

  int openConnections() {
    return open.get();
  }

  Uni<Void> close() {
    return server.close();
  }
}
