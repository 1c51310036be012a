package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;
import dev.dnsgate.wire.WireBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One DNS-over-HTTPS server (RFC 8484): POST {@code application/dns-message} over HTTP/2, many
 * queries as streams of a few connections ({@code connections-per-server}, each up to {@code
 * max-in-flight-per-connection} streams). The same TLS rules as DoT: TLS 1.2/1.3, the chain verified
 * against the trust store or {@code ca-file}, the certificate must carry the TLS name (the URL's
 * host, also SNI and the HTTP authority), pins checked once per connection before any query goes out
 * on it; the IP is given, so nothing is looked up. Health, probes and meters as for a DoT server.
 */
public final class DohUpstream extends HealthTrackedServer {

  static final String DNS_MESSAGE = "application/dns-message";
  /** Marks an exchange whose attempt timed out before its request was sent. */
  private static final Object TIMED_OUT = new Object();
  /** RST_STREAM's CANCEL: the answer is no longer wanted (RFC 9113 section 7). */
  private static final long CANCEL = 0x8;

  private final HttpClient client;
  private final SpkiPins pins;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  /**
   * Connections whose certificate was checked against the pins, and the outcome; weak, since a check
   * can land after the connection's close handler has run and would otherwise stay forever.
   */
  private final Map<HttpConnection, Boolean> pinned = Collections.synchronizedMap(new WeakHashMap<>());

  DohUpstream(Vertx vertx, UpstreamServer server, UpstreamSettings settings) {
    super(vertx, server, settings);
    this.pins = settings.pinsFor(server);
    this.client = vertx.createHttpClient(options(settings));
    client.connectionHandler(this::onConnection);
  }

  private static HttpClientOptions options(UpstreamSettings settings) {
    long attemptMs = settings.attemptTimeout().toMillis();
    HttpClientOptions options = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setUseAlpn(true)
        .setSsl(true)
        .setVerifyHost(true)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
        .setTcpNoDelay(true)
        .setSslEngineOptions(settings.tlsProvider().engine("dnsgate.upstream.tls-provider"))
        .setConnectTimeout((int) attemptMs)
        .setSslHandshakeTimeout(attemptMs)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
        .setHttp2MaxPoolSize(settings.connectionsPerServer())
        .setHttp2MultiplexingLimit(settings.maxInFlightPerConnection())
        .setHttp2KeepAliveTimeout((int) Math.max(1, settings.idleTimeout().toSeconds()))
        .setKeepAliveTimeout((int) Math.max(1, settings.idleTimeout().toSeconds()));
    settings.caFile().ifPresent(file -> options.setTrustOptions(new PemTrustOptions().addCertPath(file)));
    return options;
  }

  private void onConnection(HttpConnection connection) {
    stats.connected();
    connections.incrementAndGet();
    connection.closeHandler(v -> {
      connections.decrementAndGet();
      pinned.remove(connection);
    });
  }

  @Override
  public CompletableFuture<UpstreamAnswer> exchange(OutboundQuery query, long timeoutMs) {
    long start = System.nanoTime();
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    inFlight.incrementAndGet();
    // A stream whose answer never comes is reset when the attempt gives up on it: left open, such
    // streams would fill the connections' stream limit, and every later query would queue behind them.
    AtomicReference<Object> stream = new AtomicReference<>();
    long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> {
      result.completeExceptionally(
          new UpstreamException(Kind.TIMEOUT, server.label() + ": no answer within " + timeoutMs + " ms"));
      if (stream.getAndSet(TIMED_OUT) instanceof HttpClientRequest sent) {
        sent.reset(CANCEL);
      }
    });
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setServer(SocketAddress.inetSocketAddress(server.address()))
        .setHost(server.tlsName())
        .setPort(server.address().getPort())
        .setURI(server.dohPath())
        .putHeader("content-type", DNS_MESSAGE)
        .putHeader("accept", DNS_MESSAGE)
        // a request still waiting for a stream when its attempt ends is dropped from the pool's queue
        .setConnectTimeout(Math.max(1, timeoutMs));
    // The body is subscribed to in the callback that receives the response, on the stream's own
    // context. A later step of the chain may run as a separate task when the caller is not on that
    // context (start-up, a worker); the response's end can come first, and Vert.x drops a body
    // nobody has asked for yet, so the query would wait for its timeout.
    client.request(request)
        .compose(r -> {
          // failures reach us through the futures; without a handler Vert.x would also log each one
          r.exceptionHandler(e -> { });
          UpstreamException refused = pinFailure(r.connection()); // before the query leaves
          if (refused != null) {
            r.connection().close();
            return Future.failedFuture(refused);
          }
          // Reset only once the headers went out: Vert.x 4.5 never frees the stream slot of a request
          // reset before. A request that got its stream after the timeout sends its headers, not the
          // question, and is reset; one that times out while being sent is reset after it.
          if (stream.get() == TIMED_OUT) {
            r.sendHead().onComplete(v -> r.reset(CANCEL));
            return Future.failedFuture(new UpstreamException(Kind.TIMEOUT, server.label() + ": no stream in time"));
          }
          Future<Buffer> body = r.send(Buffer.buffer(query.wire())).compose(this::checked);
          if (!stream.compareAndSet(null, r)) {
            r.reset(CANCEL);
          }
          return body;
        })
        .onComplete(ar -> {
          vertx.cancelTimer(timer);
          if (ar.succeeded()) {
            answer(query, ar.result(), result);
          } else {
            result.completeExceptionally(UpstreamException.of(ar.cause()));
          }
        });
    return result.whenComplete((answer, error) -> {
      inFlight.decrementAndGet();
      record(start, error);
    });
  }

  /** Null when the connection's certificate passed the pins (or there are none), else why not. */
  private UpstreamException pinFailure(HttpConnection connection) {
    if (pins.isEmpty()) {
      return null;
    }
    Boolean matched = pinned.computeIfAbsent(connection, this::matchesPins);
    if (matched == null) {
      return new UpstreamException(Kind.CLOSED, server.label() + ": connection closed before its key was checked");
    }
    return matched ? null
        : new UpstreamException(Kind.PIN_MISMATCH, server.label() + ": certificate key not in the pin set");
  }

  /** A 200 with a DNS message, as bytes. */
  private Future<Buffer> checked(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture(new UpstreamException(Kind.CONNECT, server.label() + ": HTTP " + response.statusCode()));
    }
    return response.body();
  }

  /** Whether the certificate chain matches a pin; null (nothing kept) when the connection has none left. */
  private Boolean matchesPins(HttpConnection connection) {
    try {
      List<Certificate> chain = connection.peerCertificates();
      return chain == null ? null : pins.matchesAny(chain);
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  /** Accepts an answer only if it is a response to exactly this question (same checks as DoT). */
  private void answer(OutboundQuery query, Buffer body, CompletableFuture<UpstreamAnswer> result) {
    byte[] wire = body.getBytes();
    UpstreamAnswer answer = UpstreamAnswer.received(wire);
    if (answer == null) {
      stats.discarded("unparseable");
    } else if (WireBytes.isResponse(wire) && query.isAnsweredBy(answer)) {
      result.complete(answer);
      return;
    } else {
      stats.discarded("answer to a different question");
    }
    result.completeExceptionally(new UpstreamException(Kind.CLOSED, server.label() + ": answer discarded"));
  }

  @Override
  public void probeIfSilent() {
    if (health.hasAnswered() || !health.isUp() || closed || !asking.compareAndSet(false, true)) {
      return;
    }
    exchange(OutboundQuery.probe(settings.padding()), settings.attemptTimeout().toMillis())
        .whenComplete((answer, error) -> asking.set(false));
  }

  @Override
  protected CompletableFuture<UpstreamAnswer> probeExchange() {
    return exchange(OutboundQuery.probe(settings.padding()), settings.attemptTimeout().toMillis());
  }

  @Override
  public void connect() {
    exchange(OutboundQuery.probe(settings.padding()), settings.attemptTimeout().toMillis());
  }

  @Override
  public int openConnections() {
    return connections.get();
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    closed = true;
    client.close();
  }
}
