package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;
import dev.dnsgate.wire.FrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One persistent TLS connection to one upstream, carrying many queries at once (RFC 7766 pipelining,
 * answers in any order): {@link TlsDialer} opens it, {@link PendingQueries} matches answers to
 * queries. Safe to call from any thread; everything that touches the socket runs on the connection's
 * own event loop ({@code home}).
 *
 * <p>Two things are batched on that loop, both measured on the forward path: queries sent while a
 * write is pending go out together (one TLS record and one system call for many queries instead of
 * one each), and timeouts are found by one sweep every {@value #SWEEP_MILLIS} ms instead of a timer
 * set and cancelled per query.
 */
final class DotConnection implements PendingQueries.Arrival {

  /** Consecutive timeouts with nothing read in between after which the connection is presumed dead. */
  private static final int SILENT_TIMEOUTS_BEFORE_CLOSE = 3;
  /** How often outstanding queries are checked against their deadlines: the timeouts' precision. */
  static final long SWEEP_MILLIS = 20;

  private final Vertx vertx;
  private final Context home;
  private final UpstreamStats stats;
  private final PendingQueries pending = new PendingQueries();
  private final ServerIdleTimeout serverIdle = new ServerIdleTimeout();
  /** Queries waiting for the next write; bounded, as they are also pending (capped by the pool). */
  private final Queue<Buffer> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicInteger silentTimeouts = new AtomicInteger();
  private final Future<NetSocket> ready;
  /** Set on the home loop once TLS is up and pins are checked; read by flush(), also on the home loop. */
  private NetSocket socket;
  private volatile boolean closed;
  private volatile boolean answered;
  private volatile long lastActivityNanos = System.nanoTime();

  /** @param home the event loop this connection lives on, never a listener's (see EventLoops) */
  DotConnection(Vertx vertx, Context home, TlsDialer dialer, UpstreamStats stats) {
    this.vertx = vertx;
    this.stats = stats;
    this.home = home;
    this.ready =
        Future.<NetSocket>future(promise -> home.runOnContext(v -> dialer.dial().onComplete(promise)))
            .onSuccess(this::attach)
            .onFailure(e -> onClosed(UpstreamException.of(e)));
    home.runOnContext(v -> vertx.setPeriodic(SWEEP_MILLIS, this::sweep));
  }

  private void sweep(long timer) {
    if (closed && pending.isEmpty()) {
      vertx.cancelTimer(timer);
      return;
    }
    int expired = pending.expire(System.nanoTime());
    if (expired > 0 && silentTimeouts.addAndGet(expired) >= SILENT_TIMEOUTS_BEFORE_CLOSE) {
      close();
    }
  }

  private void attach(NetSocket socket) {
    if (closed) {
      socket.close(); // closed while dialing (timeouts, shutdown): never serve on a connection out of the pool
      return;
    }
    this.socket = socket;
    stats.connected();
    FrameReader frames = new FrameReader(this::onFrame);
    Runnable ackNow = QuickAck.after(socket);
    // Netty's buffer as read, not the heap copy that NetSocket's data handler makes of every pooled
    // read (with the default OpenSSL provider, ~8 % of the bytes allocated per miss). Neither
    // FrameReader nor onFrame keeps a reference to it past this call, so it is released here. This
    // bypasses NetSocket's inbound queue: pause() and resume() would no longer throttle reads, and
    // nothing here calls them. Vert.x's client sockets are all internal ones.
    ((NetSocketInternal) socket).messageHandler(message -> {
      if (message instanceof ByteBuf read) {
        try {
          // Vert.x's Buffer reads at absolute indexes: a read that does not start at 0 is sliced
          frames.handle(Buffer.buffer(read.readerIndex() == 0 ? read : read.slice()));
        } finally {
          read.release();
        }
        ackNow.run();
      } else {
        ReferenceCountUtil.release(message);
      }
    });
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
    int id = pending.add(query, result, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs));
    if (closed) {
      // Closed between the check and the insert: onClosed may have missed this query.
      pending.fail(id, new UpstreamException(Kind.CLOSED, "connection closed"));
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

  /** {@code frame} points into a read that is released when this returns: its bytes are copied. */
  private void onFrame(Buffer frame) {
    lastActivityNanos = System.nanoTime();
    silentTimeouts.set(0);
    pending.answer(frame.getBytes(), this);
  }

  @Override
  public void matched(UpstreamAnswer answer) {
    answered = true;
    serverIdle.answered(answer);
  }

  @Override
  public void discarded(String reason) {
    stats.discarded(reason);
  }

  private void onClosed(UpstreamException error) {
    closed = true;
    outbox.clear();
    pending.failAll(error);
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
    return pending.isEmpty() && System.nanoTime() - lastActivityNanos > serverIdle.allowedNanos(defaultNanos);
  }

  void close() {
    closed = true;
    if (ready.succeeded()) {
      ready.result().close();
    }
    onClosed(new UpstreamException(Kind.CLOSED, "closed by dnsgate"));
  }
}
