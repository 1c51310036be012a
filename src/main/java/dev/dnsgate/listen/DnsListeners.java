package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.QueryPipeline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Binds UDP and TCP on the same address and port at start-up. A port that cannot be bound stops the
 * process with one line naming the address, the port and the keys that set them.
 */
@ApplicationScoped
public class DnsListeners {

  private static final Logger LOG = Logger.getLogger(DnsListeners.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);
  /** With port 0 the UDP port is picked first; TCP may find it taken and then both try again. */
  private static final int EPHEMERAL_TRIES = 5;

  private final DnsgateConfig config;
  private final QueryPipeline pipeline;
  private final Vertx vertx;
  private UdpListener udp;
  private TcpListener tcp;
  private volatile boolean serving;

  public DnsListeners(DnsgateConfig config, QueryPipeline pipeline, Vertx vertx) {
    this.config = config;
    this.pipeline = pipeline;
    this.vertx = vertx;
  }

  void start(@Observes StartupEvent event) {
    String address = config.listen().address();
    int port = config.listen().port();
    for (int attempt = 1; ; attempt++) {
      try {
        udp = UdpListener.bind(vertx.getDelegate(), address, port, config.listen().udpSocketBuffer(),
            config.listen().udpSockets(), pipeline).await().atMost(BIND_TIMEOUT);
      } catch (RuntimeException e) {
        throw bindFailure("UDP", address, port, e);
      }
      int actual = udp.port();
      try {
        tcp = TcpListener.bind(vertx, address, actual, config.listen().tcp(), pipeline)
            .await().atMost(BIND_TIMEOUT);
        LOG.infof("dnsgate listening on %s port %d (UDP with %d socket(s), TCP; %s transport)", address, actual,
            udp.sockets(), vertx.getDelegate().isNativeTransportEnabled() ? "native" : "NIO");
        serving = true;
        return;
      } catch (RuntimeException e) {
        udp.close().await().atMost(BIND_TIMEOUT);
        if (port != 0 || attempt == EPHEMERAL_TRIES) {
          throw bindFailure("TCP", address, actual, e);
        }
      }
    }
  }

  private static ListenerBindException bindFailure(
      String transport, String address, int port, RuntimeException cause) {
    String line =
        String.format(
            "cannot listen on %s %s port %d (dnsgate.listen.address / dnsgate.listen.port): %s",
            transport, address, port, cause.getMessage());
    LOG.error(line);
    return new ListenerBindException(line);
  }

  /** The bound port, the same for UDP and TCP. */
  public int port() {
    return udp.port();
  }

  public long refusedTcpConnections() {
    return tcp.refusedConnections();
  }

  public long tcpBudgetCloses() {
    return tcp.budgetCloses();
  }

  public long tcpReadTimeouts() {
    return tcp.readTimeouts();
  }

  public int openTcpConnections() {
    return tcp.openConnections();
  }

  /** True from the moment both listeners are bound until shutdown begins (readiness). */
  public boolean serving() {
    return serving;
  }

  /**
   * Graceful shutdown, before the upstream connections close: readiness goes DOWN, no new queries
   * are taken, queries in flight get up to the grace period to be answered, then the sockets close.
   */
  void stop(@Observes @Priority(1) ShutdownEvent event) {
    serving = false;
    if (udp != null) {
      udp.stopReading();
    }
    if (tcp != null) {
      tcp.drain();
    }
    long deadline = System.nanoTime() + config.listen().shutdownGrace().toNanos();
    while (pipeline.inFlight() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(10_000_000L);
    }
    if (pipeline.inFlight() > 0) {
      LOG.warnf("shutdown: %d queries still unanswered after the grace period", pipeline.inFlight());
    }
    if (tcp != null) {
      tcp.close().await().atMost(BIND_TIMEOUT);
    }
    if (udp != null) {
      udp.close().await().atMost(BIND_TIMEOUT);
    }
  }
}
