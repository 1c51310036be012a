package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.wire.FrameReader;
import dev.dnsgate.wire.IpLiteral;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
 * an idle timeout, a read timeout per message, caps on connections in total and per client, and a cap
 * on unanswered queries per connection, past which reading pauses so one client cannot queue
 * unbounded work.
 */
final class TcpListener implements Listener {

  private final NetServer server;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
  private final LongAdder refused = new LongAdder();
  private final LongAdder readTimeouts = new LongAdder();
  private final LongAdder budgetCloses = new LongAdder();
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
    Connection connection = new Connection(socket, client, limits, pipeline);
    socket.closeHandler(v -> {
      connection.stopReadTimer();
      release(client, fromClient);
    });
    socket.handler(connection::onBytes);
  }

  /**
   * One client connection: queries are answered as they complete; reading pauses at the in-flight
   * cap and stops for good at the query budget, after which the connection closes once answered. A
   * message that has begun must complete within the read timeout. Counters and the timer are touched
   * from the connection's own context only (answers hop back onto it).
   */
  private final class Connection {
    private final NetSocket socket;
    private final InetAddress client;
    private final QueryPipeline pipeline;
    private final Context context = io.vertx.core.Vertx.currentContext();
    private final FrameReader reader = new FrameReader(this::onQuery);
    private final int cap;
    private final int budget;
    private final long readTimeoutMillis;
    private int inFlight;
    private int received;
    private long messagesRead;
    private long readTimer = -1;

    Connection(NetSocket socket, InetAddress client, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline) {
      this.socket = socket;
      this.client = client;
      this.pipeline = pipeline;
      this.cap = limits.maxInFlightPerConnection();
      this.budget = limits.maxQueriesPerConnection();
      this.readTimeoutMillis = Math.max(1, limits.readTimeout().toMillis());
    }

    /** The clock runs from the first byte of a message; each completed message restarts it. */
    void onBytes(Buffer bytes) {
      long before = messagesRead;
      reader.handle(bytes);
      if (messagesRead != before || !reader.midFrame()) {
        stopReadTimer();
      }
      if (readTimer < 0 && reader.midFrame()) {
        readTimer = context.owner().setTimer(readTimeoutMillis, id -> onReadTimeout());
      }
    }

    private void onReadTimeout() {
      readTimer = -1;
      if (inFlight >= cap || received >= budget) {
        // we paused reading, so the rest of the message cannot arrive: not the client's fault
        readTimer = context.owner().setTimer(readTimeoutMillis, id -> onReadTimeout());
        return;
      }
      readTimeouts.increment();
      socket.close();
    }

    void stopReadTimer() {
      if (readTimer >= 0) {
        context.owner().cancelTimer(readTimer);
        readTimer = -1;
      }
    }

    void onQuery(Buffer frame) {
      messagesRead++;
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
          budgetCloses.increment();
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
  @Override
  public void stopAccepting() {
    draining = true;
  }

  @Override
  public void registerMeters(MeterRegistry registry) {
    Gauge.builder("dnsgate.tcp.connections", open, AtomicInteger::get)
        .description("Client TCP connections open").register(registry);
    FunctionCounter.builder("dnsgate.tcp.refused", refused, LongAdder::sum)
        .description("Client TCP connections closed at once: total or per-client cap reached").register(registry);
    FunctionCounter.builder("dnsgate.tcp.budget_closes", budgetCloses, LongAdder::sum)
        .description("Client TCP connections closed after max-queries-per-connection queries")
        .register(registry);
    FunctionCounter.builder("dnsgate.tcp.read_timeouts", readTimeouts, LongAdder::sum)
        .description("Client TCP connections closed because a message did not arrive in full in time")
        .register(registry);
  }

  @Override
  public Uni<Void> close() {
    return server.close();
  }
}
