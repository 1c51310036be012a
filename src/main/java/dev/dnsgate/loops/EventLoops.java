package dev.dnsgate.loops;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which event loop does what. The UDP listener owns the first loop; upstream TLS connections are
 * spread over the others. Left to chance (Netty's and Vert.x's separate round-robins), a connection
 * sometimes shared the listener's thread, and forward-unique fell from ~95k to ~50k qps.
 */
public final class EventLoops {

  private static final AtomicInteger NEXT_UPSTREAM = new AtomicInteger();

  private EventLoops() {}

  private static List<EventLoop> loops(Vertx vertx) {
    List<EventLoop> loops = new ArrayList<>();
    for (EventExecutor executor : ((VertxInternal) vertx).getEventLoopGroup()) {
      loops.add((EventLoop) executor);
    }
    return loops;
  }

  /** The loop that serves the UDP listener. */
  public static EventLoop listener(Vertx vertx) {
    return loops(vertx).get(0);
  }

  /** A context on the next loop for upstream work, never the listener's when there is another. */
  public static Context forUpstream(Vertx vertx) {
    List<EventLoop> loops = loops(vertx);
    int others = loops.size() - 1;
    EventLoop loop = others == 0 ? loops.get(0) : loops.get(1 + Math.floorMod(NEXT_UPSTREAM.getAndIncrement(), others));
    VertxInternal internal = (VertxInternal) vertx;
    return internal.createEventLoopContext(loop, internal.getWorkerPool(), Thread.currentThread().getContextClassLoader());
  }
}
