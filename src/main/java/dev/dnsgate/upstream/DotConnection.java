package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;
import dev.dnsgate.wire.FrameReader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.TcpKeepaliveOption;

/**
 * One persistent TLS connection to one upstream, carrying many queries at once (RFC 7766 pipelining,
 * answers in any order). Each outstanding query gets a connection-local random ID; an answer is
 * accepted only if its ID is outstanding and its question matches, so a wrong or spoofed answer never
 * reaches a client. Safe to call from any thread.
 *
 * <p>Two things are batched on the connection's own event loop, both measured on the forward path:
 * queries sent while a write is pending go out together (one TLS record and one system call for many
 * queries instead of one each), and timeouts are found by one sweep every {@value #SWEEP_MILLIS} ms
 * instead of a timer set and cancelled per query.
 */
final class DotConnection {

  /** Consecutive timeouts with nothing read in between after which the connection is presumed dead. */
  private static final int SILENT_TIMEOUTS_BEFORE_CLOSE = 3;
  /** How often outstanding queries are checked against their deadlines: the timeouts' precision. */
  static final long SWEEP_MILLIS = 20;
  private static final long SERVER_IDLE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Vertx vertx;
  private final Context home;
  private final UpstreamStats stats;
  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  /** Queries waiting for the next write; bounded, as they are also in {@code pending} (capped by the pool). */
  private final Queue<Buffer> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicInteger silentTimeouts = new AtomicInteger();
  private final Future<NetSocket> ready;
  /** Set once TLS is up and pins are checked; written on the home context, read by flush() there. */
  private NetSocket socket;
  private volatile boolean closed;
  private volatile boolean answered;
  private volatile long lastActivityNanos = System.nanoTime();
  /** The newest answer, for its RFC 7828 edns-tcp-keepalive option (see serverIdleNanos()). */
  private volatile Message lastAnswer;
  /** Only touched by the idle check, which runs on one timer: the answer last read, and its result. */
  private Message keepaliveReadFrom;
  /** How long we keep this connection idle by what the server said; negative: nothing said. */
  private long serverIdleNanos = -1;

  private record Pending(OutboundQuery query, CompletableFuture<UpstreamAnswer> result, long deadlineNanos) {}

  /** @param home the event loop this connection lives on, never a listener's (see EventLoops) */
  DotConnection(Vertx vertx, Context home, NetClient client, UpstreamServer server, SpkiPins pins,
      UpstreamStats stats) {
    this.vertx = vertx;
    this.stats = stats;
    this.home = home;
    this.ready =
        Future.<NetSocket>future(
                promise ->
                    home.runOnContext(
                        v -> client.connect(verifiedAddress(server), server.tlsName()).onComplete(promise)))
            .compose(socket -> checkPins(socket, pins, server))
            .onSuccess(this::attach)
            .onFailure(e -> onClosed(UpstreamException.of(e)));
    home.runOnContext(v -> startSweeping());
  }

  /**
   * The JDK checks the certificate against the SNI name but, when that fails, falls back to the host
   * the engine was created for. Giving the socket address the TLS name as its host (with the literal
   * IP, so nothing is looked up) makes both the same: the certificate must carry the TLS name,
   * whatever IP addresses it also lists (RFC 8310 section 8.1).
   */
  private static SocketAddress verifiedAddress(UpstreamServer server) {
    try {
      InetAddress ip = server.address().getAddress();
      InetAddress named = InetAddress.getByAddress(server.tlsName(), ip.getAddress());
      return SocketAddress.inetSocketAddress(new InetSocketAddress(named, server.address().getPort()));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a literal IP cannot be unknown", e);
    }
  }

  private static Future<NetSocket> checkPins(NetSocket socket, SpkiPins pins, UpstreamServer server) {
    if (pins.isEmpty()) {
      return Future.succeededFuture(socket);
    }
    try {
      if (pins.matchesAny(socket.peerCertificates())) {
        return Future.succeededFuture(socket);
      }
    } catch (SSLPeerUnverifiedException e) {
      // falls through to the mismatch: an unverified peer matches no pin
    }
    socket.close();
    return Future.failedFuture(
        new UpstreamException(Kind.PIN_MISMATCH, server.label() + ": certificate key not in the pin set"));
  }

  /** On the home context, so that the sweep runs on the connection's own loop; it ends itself on close. */
  private void startSweeping() {
    vertx.setPeriodic(SWEEP_MILLIS, this::sweep);
  }

  private void sweep(long timer) {
    if (closed && pending.isEmpty()) {
      vertx.cancelTimer(timer);
      return;
    }
    long now = System.nanoTime();
    pending.forEach((id, entry) -> {
      if (now - entry.deadlineNanos() >= 0) {
        onTimeout(id);
      }
    });
  }

  private void attach(NetSocket socket) {
    this.socket = socket;
    stats.connected();
    socket.handler(new FrameReader(this::onFrame));
    socket.closeHandler(
        v -> onClosed(new UpstreamException(Kind.CLOSED, "connection closed by the upstream")));
    socket.exceptionHandler(e -> socket.close());
    flush(); // what was queued while connecting
  }

  /** Sends {@code query} and completes with the matching answer, or fails within {@code timeoutMs}. */
  CompletableFuture<UpstreamAnswer> exchange(OutboundQuery query, long timeoutMs) {
    CompletableFuture<UpstreamAnswer> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new UpstreamException(Kind.CLOSED, "connection already closed"));
      return result;
    }
    Pending entry = new Pending(query, result, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    int id;
    do {
      id = ThreadLocalRandom.current().nextInt(0x10000);
    } while (pending.putIfAbsent(id, entry) != null);
    if (closed) {
      // Closed between the check and the insert: onClosed may have missed this entry.
      fail(id, new UpstreamException(Kind.CLOSED, "connection closed"));
      return result;
    }
    Buffer frame = FrameReader.frame(query.wire());
    frame.setUnsignedShort(2, id);
    outbox.add(frame);
    if (flushScheduled.compareAndSet(false, true)) {
      home.runOnContext(v -> flush());
    }
    return result;
  }

  /** Writes every queued query in one go; before the connection is up, attach() calls it again. */
  private void flush() {
    flushScheduled.set(false);
    if (socket == null) {
      return;
    }
    Buffer batch = outbox.poll();
    if (batch == null) {
      return;
    }
    for (Buffer next = outbox.poll(); next != null; next = outbox.poll()) {
      batch.appendBuffer(next);
    }
    socket.write(batch);
  }

  private void onFrame(Buffer frame) {
    lastActivityNanos = System.nanoTime();
    silentTimeouts.set(0);
    if (frame.length() < 12) {
      stats.discarded("answer shorter than a header");
      return;
    }
    int id = frame.getUnsignedShort(0);
    Pending entry = pending.get(id);
    if (entry == null) {
      stats.discarded("answer with an ID not outstanding");
      return;
    }
    byte[] wire = frame.getBytes();
    Message answer;
    try {
      answer = new Message(wire);
    } catch (IOException | RuntimeException e) {
      stats.discarded("unparseable answer");
      return;
    }
    if (!entry.query().isAnsweredBy(answer)) {
      stats.discarded("answer to a different question");
      return;
    }
    if (pending.remove(id, entry)) {
      answered = true;
      lastAnswer = answer;
      entry.result().complete(new UpstreamAnswer(answer, wire));
    }
  }

  private void onTimeout(int id) {
    Pending entry = pending.remove(id);
    if (entry == null) {
      return;
    }
    entry.result().completeExceptionally(new UpstreamException(Kind.TIMEOUT, "no answer in time"));
    if (silentTimeouts.incrementAndGet() >= SILENT_TIMEOUTS_BEFORE_CLOSE) {
      close();
    }
  }

  private void fail(int id, UpstreamException error) {
    Pending entry = pending.remove(id);
    if (entry != null) {
      entry.result().completeExceptionally(error);
    }
  }

  private void onClosed(UpstreamException error) {
    closed = true;
    outbox.clear();
    pending.keySet().forEach(id -> fail(id, error));
  }

  /** Whether this connection has carried an answer: a failure on it then may be staleness. */
  boolean hasAnswered() {
    return answered;
  }

  boolean isClosed() {
    return closed;
  }

  /** True once the connection is established (TLS and pins checked) and still open. */
  boolean isEstablished() {
    return ready.succeeded() && !closed;
  }

  int inFlight() {
    return pending.size();
  }

  /**
   * Whether nothing is outstanding and nothing was read for longer than the server allows (RFC 7828),
   * or than {@code defaultNanos} when it did not say.
   */
  boolean idleLongerThan(long defaultNanos) {
    if (!pending.isEmpty()) {
      return false;
    }
    long allowed = serverIdleNanos();
    return System.nanoTime() - lastActivityNanos > (allowed >= 0 ? allowed : defaultNanos);
  }

  /**
   * RFC 7828: the newest timeout the server sent replaces any earlier one. It is read from the newest
   * answer when idleness is checked, not from every answer (a profile put that at 4-6 % of the
   * upstream loop). We close a second before it runs out (half of it when shorter), so that we, not
   * the server, end an idle connection and no query is sent onto one the server is closing.
   */
  private long serverIdleNanos() {
    Message newest = lastAnswer;
    if (newest == null || newest == keepaliveReadFrom) {
      return serverIdleNanos;
    }
    keepaliveReadFrom = newest;
    OPTRecord opt = newest.getOPT();
    if (opt != null) {
      for (EDNSOption option : opt.getOptions()) {
        if (option instanceof TcpKeepaliveOption keepalive && keepalive.getTimeout().isPresent()) {
          long timeout = TimeUnit.MILLISECONDS.toNanos(keepalive.getTimeout().getAsInt() * 100L);
          serverIdleNanos = Math.max(timeout - SERVER_IDLE_MARGIN_NANOS, timeout / 2);
        }
      }
    }
    return serverIdleNanos;
  }

  void close() {
    closed = true;
    if (ready.succeeded()) {
      ready.result().close();
    }
    onClosed(new UpstreamException(Kind.CLOSED, "closed by dnsgate"));
  }
}
