package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.rules.match.Cidr;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The listeners, as a list: UDP and TCP on the same address and port, then DNS over TLS and DNS over
 * HTTPS on their own ports when enabled (they share one certificate, reloaded when its files change). A port that cannot be bound stops the process with one line naming the address,
 * the port and the keys that set them. Started and stopped by dev.dnsgate.lifecycle, which states
 * the order.
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
  private final EventLoops loops;
  private final MeterRegistry registry;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile int port;
  private volatile int dotPort = -1;
  private volatile int dohPort = -1;
  private volatile ServerTls tls;
  private volatile boolean serving;

  public DnsListeners(DnsgateConfig config, QueryPipeline pipeline, Vertx vertx, EventLoops loops,
      MeterRegistry registry) {
    this.config = config;
    this.pipeline = pipeline;
    this.vertx = vertx;
    this.loops = loops;
    this.registry = registry;
  }

  /**
   * Claims the event loops the UDP sockets will take, before anything else picks a loop: upstream
   * connections opened ahead of the listeners then land on the others (see EventLoops).
   */
  public void reserveLoops() {
    loops.listeners(UdpListener.socketCount(vertx.getDelegate(), config.listen().udpSockets()));
  }

  /** Binds every listener; throws {@link ListenerBindException} with the line to show if one cannot. */
  public void start() {
    bindPlainDns();
    DnsgateConfig.Listen listen = config.listen();
    if (listen.dot().enabled()) {
      bindDot(listen);
    }
    if (listen.doh().enabled()) {
      bindDoh(listen);
    }
    listeners.forEach(l -> l.registerMeters(registry));
    serving = true;
  }

  /** UDP and TCP on one port; with port 0, UDP picks it and TCP takes the same (or both try again). */
  private void bindPlainDns() {
    String address = config.listen().address();
    int wanted = config.listen().port();
    for (int attempt = 1; ; attempt++) {
      UdpListener udp;
      try {
        udp = UdpListener.bind(vertx.getDelegate(), loops, address, wanted, config.listen().udpSocketBuffer(),
            config.listen().udpSockets(), pipeline).await().atMost(BIND_TIMEOUT);
      } catch (RuntimeException e) {
        throw bindFailure("UDP", address, wanted, e);
      }
      int actual = udp.port();
      try {
        TcpListener tcp = TcpListener.bind(vertx, address, actual, config.listen().tcp(), pipeline)
            .await().atMost(BIND_TIMEOUT);
        LOG.infof("dnsgate listening on %s port %d (UDP with %d socket(s), TCP; %s transport)", address, actual,
            udp.sockets(), vertx.getDelegate().isNativeTransportEnabled() ? "native" : "NIO");
        listeners.add(udp);
        listeners.add(tcp);
        this.port = actual;
        return;
      } catch (RuntimeException e) {
        udp.close().await().atMost(BIND_TIMEOUT);
        if (wanted != 0 || attempt == EPHEMERAL_TRIES) {
          throw bindFailure("TCP", address, actual, e);
        }
      }
    }
  }

  private void bindDot(DnsgateConfig.Listen listen) {
    String address = listen.dot().address().orElse(listen.address());
    ServerTls serverTls = tls("dnsgate.listen.dot.enabled");
    try {
      TcpListener dot = TcpListener.bind(vertx, address, listen.dot().port(), listen.tcp(), pipeline, serverTls,
          serverName(listen)).await().atMost(BIND_TIMEOUT);
      listeners.add(dot);
      dotPort = dot.port();
      LOG.infof("dnsgate listening on %s port %d (DNS over TLS)", address, dotPort);
    } catch (RuntimeException e) {
      throw bindFailure("DoT", address, listen.dot().port(), "dnsgate.listen.dot.address / dnsgate.listen.dot.port", e);
    }
  }

  private void bindDoh(DnsgateConfig.Listen listen) {
    String address = listen.doh().address().orElse(listen.address());
    ServerTls serverTls = listen.doh().plainHttp() ? null : tls("dnsgate.listen.doh.enabled");
    ForwardedClient forwarded =
        new ForwardedClient(listen.doh().trustedProxies().orElse(List.of()).stream().map(DnsListeners::cidr).toList());
    try {
      DohListener doh = DohListener.bind(vertx.getDelegate(), address, listen.doh().port(), listen, pipeline,
          serverTls, forwarded).await().atMost(BIND_TIMEOUT);
      listeners.add(doh);
      dohPort = doh.port();
      LOG.infof("dnsgate listening on %s port %d (DNS over HTTPS, %s, path %s)", address, dohPort,
          serverTls == null ? "plain HTTP behind a proxy" : "HTTP/2 and HTTP/1.1 over TLS", DohListener.PATH);
    } catch (RuntimeException e) {
      throw bindFailure("DoH", address, listen.doh().port(), "dnsgate.listen.doh.address / dnsgate.listen.doh.port", e);
    }
  }

  /** The one certificate of DoT and DoH, loaded by the first listener that needs it. */
  private ServerTls tls(String enabledBy) {
    if (tls == null) {
      tls = ServerTls.start(vertx.getDelegate(), config.listen().tls(), enabledBy,
          config.listen().tcp().readTimeout().toMillis());
    }
    return tls;
  }

  private static String serverName(DnsgateConfig.Listen listen) {
    return listen.tls().serverName().map(n -> n.endsWith(".") ? n.substring(0, n.length() - 1) : n).orElse(null);
  }

  private static Cidr cidr(String text) {
    try {
      return Cidr.parse(text.trim());
    } catch (IllegalArgumentException e) {
      String line = "dnsgate.listen.doh.trusted-proxies: " + e.getMessage();
      LOG.error(line);
      throw new ListenerBindException(line);
    }
  }

  private static ListenerBindException bindFailure(
      String transport, String address, int port, RuntimeException cause) {
    return bindFailure(transport, address, port, "dnsgate.listen.address / dnsgate.listen.port", cause);
  }

  private static ListenerBindException bindFailure(
      String transport, String address, int port, String keys, RuntimeException cause) {
    if (cause instanceof ListenerBindException already) {
      return already;
    }
    String line =
        String.format(
            "cannot listen on %s %s port %d (%s): %s", transport, address, port, keys, cause.getMessage());
    LOG.error(line);
    return new ListenerBindException(line);
  }

  /** The bound port of plain DNS, the same for UDP and TCP. */
  public int port() {
    return port;
  }

  /** The bound DoT port, or -1 when DoT is off. */
  public int dotPort() {
    return dotPort;
  }

  /** The bound DoH port, or -1 when DoH is off. */
  public int dohPort() {
    return dohPort;
  }

  /** The certificate of DoT and DoH, or null when neither uses one. */
  ServerTls tls() {
    return tls;
  }

  /** True from the moment every listener is bound until shutdown begins (readiness). */
  public boolean serving() {
    return serving;
  }

  /**
   * Graceful shutdown, before the upstream connections close: readiness goes DOWN, no new queries
   * are taken, queries in flight get up to the grace period to be answered, then the sockets close.
   */
  public void stop() {
    serving = false;
    listeners.forEach(Listener::stopAccepting);
    long deadline = System.nanoTime() + config.listen().shutdownGrace().toNanos();
    while (pipeline.inFlight() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(10_000_000L);
    }
    if (pipeline.inFlight() > 0) {
      LOG.warnf("shutdown: %d queries still unanswered after the grace period", pipeline.inFlight());
    }
    listeners.forEach(l -> l.close().await().atMost(BIND_TIMEOUT));
    listeners.clear();
    if (tls != null) {
      tls.close();
    }
  }
}
