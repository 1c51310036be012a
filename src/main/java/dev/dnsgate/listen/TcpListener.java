package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.wire.ClientName;
import dev.dnsgate.wire.FrameReader;
import dev.dnsgate.wire.IpLiteral;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.net.NetServer;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * DNS over TCP (RFC 7766), and the same inside TLS for DNS over TLS (RFC 7858): many queries per
 * connection, answered as each completes (out of order), an idle timeout, a read timeout per message,
 * caps on connections in total and per client, and a cap on unanswered queries per connection, past
 * which reading pauses so one client cannot queue unbounded work. With TLS, the handshake must end
 * within the read timeout (connections are counted against the caps once it has), and a client may
 * name itself by the server name it asks for ({@link ClientName}).
 */
final class TcpListener implements Listener {

  private final NetServer server;
  private final Transport transport;
  private final String serverName;
  private final ConnectionCaps caps;
  private final LongAdder readTimeouts = new LongAdder();
  private final LongAdder budgetCloses = new LongAdder();
  private volatile boolean draining;

  private TcpListener(Vertx vertx, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline, ServerTls tls,
      String serverName) {
    NetServerOptions options =
        new NetServerOptions()
            .setTcpNoDelay(true)
            .setIdleTimeout((int) limits.idleTimeout().toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (tls != null) {
      SSLOptions ssl = tls.options();
      options.setSsl(true).setSslEngineOptions(tls.engine())
          .setKeyCertOptions(ssl.getKeyCertOptions())
          .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
          .setSslHandshakeTimeout(ssl.getSslHandshakeTimeout())
          .setSslHandshakeTimeoutUnit(ssl.getSslHandshakeTimeoutUnit());
    }
    this.transport = tls == null ? Transport.TCP : Transport.DOT;
    this.serverName = serverName;
    this.caps = new ConnectionCaps(limits.maxConnections(), limits.maxConnectionsPerClient());
    this.server = vertx.createNetServer(options);
    server.connectHandler(socket -> accept(socket.getDelegate(), limits, pipeline));
  }

  /** Plain DNS over TCP. */
  static Uni<TcpListener> bind(
      Vertx vertx, String address, int port, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline) {
    return bind(vertx, address, port, limits, pipeline, null, null);
  }

  /**
   * DNS over TLS when {@code tls} is given, with client names taken from SNI under {@code serverName}
   * (may be null: no names).
   */
  static Uni<TcpListener> bind(Vertx vertx, String address, int port, DnsgateConfig.Listen.Tcp limits,
      QueryPipeline pipeline, ServerTls tls, String serverName) {
    TcpListener listener = new TcpListener(vertx, limits, pipeline, tls, serverName);
    return listener.server.listen(port, address).map(s -> listener);
  }

  int port() {
    return server.actualPort();
  }

  private void accept(NetSocket socket, DnsgateConfig.Listen.Tcp limits, QueryPipeline pipeline) {
    if (draining) {
      socket.close();
      return;
    }
    InetAddress client = IpLiteral.parse(socket.remoteAddress().hostAddress()).orElseThrow();
    Runnable release = caps.admit(client);
    if (release == ConnectionCaps.REFUSED) {
      socket.close();
      return;
    }
    String clientName = transport == Transport.DOT ? ClientName.fromServerName(ServerTls.requestedServerName(socket.sslSession()), serverName) : null;
    Connection connection = new Connection(socket, client, clientName, limits, pipeline);
    socket.closeHandler(v -> {
      connection.stopReadTimer();
      release.run();
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
    private final String clientName;
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

    Connection(NetSocket socket, InetAddress client, String clientName, DnsgateConfig.Listen.Tcp limits,
        QueryPipeline pipeline) {
      this.socket = socket;
      this.client = client;
      this.clientName = clientName;
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
      CompletableFuture<byte[]> answer = pipeline.handle(frame.getBytes(), transport, client, clientName);
      if (answer.isDone()) {
        // Answered at once (cache, rules): written while Vert.x is still in this read, so it is flushed
        // with the others of the read, one TLS record and one write for many answers instead of each
        onAnswer(answer.join());
      } else {
        answer.thenAccept(reply -> context.runOnContext(v -> onAnswer(reply)));
      }
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

  /** Takes no new connections or queries; what is in flight still completes. */
  @Override
  public void stopAccepting() {
    draining = true;
  }

  @Override
  public void registerMeters(MeterRegistry registry) {
    String prefix = "dnsgate." + transport.name().toLowerCase();
    String what = transport.name();
    caps.registerMeters(registry, prefix, what);
    FunctionCounter.builder(prefix + ".budget_closes", budgetCloses, LongAdder::sum)
        .description("Client " + what + " connections closed after max-queries-per-connection queries")
        .register(registry);
    FunctionCounter.builder(prefix + ".read_timeouts", readTimeouts, LongAdder::sum)
        .description("Client " + what + " connections closed because a message did not arrive in full in time")
        .register(registry);
  }

  @Override
  public Uni<Void> close() {
    return server.close();
  }
}
