package dev.dnsgate.listen;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.wire.ClientName;
import dev.dnsgate.wire.IpLiteral;
import dev.dnsgate.wire.TtlPatcher;
import dev.dnsgate.wire.Transport;
import dev.dnsgate.wire.WireBytes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.net.InetAddress;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;

/**
 * DNS over HTTPS (RFC 8484) on its own port: {@code /dns-query} (and {@code /dns-query/NAME}, a client
 * naming itself) with GET {@code ?dns=} (base64url) or POST {@code application/dns-message}, over
 * HTTP/2 or HTTP/1.1 inside TLS, or over plain HTTP behind a reverse proxy. Nothing else is served
 * here, and errors are a status with a one-line text body, never an HTML page: 400 malformed or
 * missing message, 404 other paths, 405 other methods, 413 body over 65535 bytes, 414 URI too long,
 * 415 another content type. Answers carry Cache-Control max-age from their smallest TTL.
 */
final class DohListener implements Listener {

  static final String PATH = "/dns-query";
  static final String DNS_MESSAGE = "application/dns-message";
  private static final List<Integer> STATUSES = List.of(400, 403, 404, 405, 413, 414, 415, 503);

  private final HttpServer server;
  private final QueryPipeline pipeline;
  private final ForwardedClient forwarded;
  private final ConnectionCaps caps;
  private final String serverName;
  private final int maxUriLength;
  private final boolean tls;
  /** HTTP errors by status; Counters (looked up in the registry) rather than function counters over our own fields. */
  private volatile Map<Integer, Counter> rejected = Map.of();
  /** Each connection's peer address, parsed once rather than per request (it showed in profiles under load). */
  private final Map<HttpConnection, InetAddress> peers = new ConcurrentHashMap<>();
  private volatile boolean draining;

  private DohListener(Vertx vertx, DnsgateConfig.Listen listen, QueryPipeline pipeline, ServerTls serverTls,
      ForwardedClient forwarded) {
    DnsgateConfig.Listen.Tcp limits = listen.tcp();
    this.pipeline = pipeline;
    this.forwarded = forwarded;
    this.caps = new ConnectionCaps(limits.maxConnections(), limits.maxConnectionsPerClient());
    this.serverName = listen.tls().serverName().orElse(null);
    this.maxUriLength = listen.doh().maxUriLength();
    this.tls = serverTls != null;
    HttpServerOptions options = new HttpServerOptions()
        .setTcpNoDelay(true)
        .setIdleTimeout((int) limits.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // past our own 414 check, so that Vert.x's decoder (which also answers 414) rarely decides
        .setMaxInitialLineLength(Math.max(4096, maxUriLength * 2))
        .setHandle100ContinueAutomatically(true)
        .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(limits.maxInFlightPerConnection()));
    if (serverTls != null) {
      var ssl = serverTls.options();
      options.setSsl(true).setUseAlpn(true)
          .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
          .setSslEngineOptions(serverTls.engine())
          .setKeyCertOptions(ssl.getKeyCertOptions())
          .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
          .setSslHandshakeTimeout(ssl.getSslHandshakeTimeout())
          .setSslHandshakeTimeoutUnit(ssl.getSslHandshakeTimeoutUnit());
    }
    this.server = vertx.createHttpServer(options);
    server.connectionHandler(this::onConnection);
    server.requestHandler(this::onRequest);
  }

  /** Binds; {@code tls} null means plain HTTP (behind a reverse proxy). */
  static Uni<DohListener> bind(Vertx vertx, String address, int port, DnsgateConfig.Listen listen,
      QueryPipeline pipeline, ServerTls tls, ForwardedClient forwarded) {
    DohListener listener = new DohListener(vertx, listen, pipeline, tls, forwarded);
    return Uni.createFrom().completionStage(() -> listener.server.listen(port, address).toCompletionStage())
        .map(s -> listener);
  }

  int port() {
    return server.actualPort();
  }

  /** Caps per client address; a trusted proxy carries many clients, so only the total cap applies to it. */
  private void onConnection(HttpConnection connection) {
    InetAddress peer = IpLiteral.parse(connection.remoteAddress().hostAddress()).orElseThrow();
    Runnable release = caps.admit(forwarded.trusts(peer) ? null : peer);
    if (release == ConnectionCaps.REFUSED) {
      connection.close();
      return;
    }
    peers.put(connection, peer);
    connection.closeHandler(v -> {
      peers.remove(connection);
      release.run();
    });
  }

  private void onRequest(HttpServerRequest request) {
    if (draining) {
      reject(request, 503, "shutting down");
      return;
    }
    String path = request.path();
    String clientName = null;
    if (!PATH.equals(path)) {
      if (path == null || !path.startsWith(PATH + "/")) {
        reject(request, 404, "only " + PATH + " is served here");
        return;
      }
      clientName = ClientName.valid(path.substring(PATH.length() + 1));
      if (clientName == null) {
        reject(request, 400, "a client name is 1-63 letters, digits and inner hyphens");
        return;
      }
    } else if (tls) {
      clientName = ClientName.fromServerName(ServerTls.requestedServerName(request.connection().sslSession()), serverName);
    }
    HttpMethod method = request.method();
    if (method == HttpMethod.GET) {
      get(request, clientName);
    } else if (method == HttpMethod.POST) {
      post(request, clientName);
    } else {
      request.response().putHeader("Allow", "GET, POST");
      reject(request, 405, "use GET or POST");
    }
  }

  private void get(HttpServerRequest request, String clientName) {
    if (request.uri().length() > maxUriLength) {
      reject(request, 414, "URI longer than " + maxUriLength);
      return;
    }
    String dns = request.getParam("dns");
    if (dns == null || dns.isEmpty()) {
      reject(request, 400, "missing dns parameter (base64url DNS message)");
      return;
    }
    byte[] query;
    try {
      query = Base64.getUrlDecoder().decode(dns);
    } catch (IllegalArgumentException e) {
      reject(request, 400, "dns parameter is not base64url");
      return;
    }
    answer(request, query, clientName);
  }

  private void post(HttpServerRequest request, String clientName) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.split(";", 2)[0].trim().equalsIgnoreCase(DNS_MESSAGE)) {
      reject(request, 415, "Content-Type must be " + DNS_MESSAGE);
      return;
    }
    String length = request.getHeader("Content-Length");
    if (length != null && declaredTooLong(length)) {
      reject(request, 413, "a DNS message is at most " + Message.MAXLENGTH + " bytes");
      return;
    }
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > Message.MAXLENGTH) {
        reject(request, 413, "a DNS message is at most " + Message.MAXLENGTH + " bytes");
      } else if (!request.response().ended()) {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> {
      if (!request.response().ended()) {
        answer(request, body.getBytes(), clientName);
      }
    });
  }

  /** A Content-Length that is not a number is left to the bounded read below, which also answers 413. */
  private static boolean declaredTooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > Message.MAXLENGTH;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void answer(HttpServerRequest request, byte[] query, String clientName) {
    // What the pipeline would drop unread is a bad request here: DoH can say so
    if (query.length < Header.LENGTH || WireBytes.isResponse(query)) {
      reject(request, 400, "not a DNS query");
      return;
    }
    HttpConnection connection = request.connection();
    InetAddress peer = peers.get(connection);
    if (peer == null) {
      peer = IpLiteral.parse(connection.remoteAddress().hostAddress()).orElseThrow();
    }
    InetAddress client = forwarded.client(peer, request.headers());
    Context context = Vertx.currentContext();
    pipeline.handle(query, Transport.DOH, client, clientName)
        .thenAccept(reply -> context.runOnContext(v -> respond(request, reply)));
  }

  private void respond(HttpServerRequest request, byte[] reply) {
    HttpServerResponse response = request.response();
    if (response.closed() || response.ended()) {
      return; // the client reset the stream or went away
    }
    if (reply == null) {
      reject(request, 403, "refused by access policy");
      return;
    }
    long ttl = smallestTtl(reply);
    response.putHeader("Content-Type", DNS_MESSAGE)
        .putHeader("Cache-Control", ttl < 0 ? "no-cache" : "max-age=" + ttl)
        .end(Buffer.buffer(reply));
  }

  /** RFC 8484 section 5.1: the freshness of the answer is that of its shortest-lived record; -1 with none. */
  static long smallestTtl(byte[] reply) {
    long[] ttls = TtlPatcher.ttls(reply, TtlPatcher.ttlOffsets(reply));
    long smallest = -1;
    for (long ttl : ttls) {
      smallest = smallest < 0 ? ttl : Math.min(smallest, ttl);
    }
    return smallest;
  }

  private void reject(HttpServerRequest request, int status, String reason) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    Counter counter = rejected.get(status);
    if (counter != null) {
      counter.increment();
    }
    response.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8");
    if (request.version() != HttpVersion.HTTP_2 && !request.isEnded()) {
      response.putHeader("Connection", "close"); // the rest of an unread HTTP/1 body cannot be skipped safely
    }
    response.end(reason + "\n");
  }

  @Override
  public void stopAccepting() {
    draining = true;
  }

  @Override
  public void registerMeters(MeterRegistry registry) {
    caps.registerMeters(registry, "dnsgate.doh", "DoH");
    Map<Integer, Counter> counters = new TreeMap<>();
    for (int status : STATUSES) {
      counters.put(status, Counter.builder("dnsgate.doh.rejected").tag("status", String.valueOf(status))
          .description("DoH requests answered with an HTTP error instead of a DNS message").register(registry));
    }
    rejected = counters;
  }

  @Override
  public Uni<Void> close() {
    return Uni.createFrom().completionStage(() -> server.close().toCompletionStage());
  }
}
