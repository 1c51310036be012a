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
 * Which event loop does what. The UDP listener sockets own the first loops (one socket each);
 * upstream TLS connections are spread over the others. Left to chance (Netty's and Vert.x's separate
 * round-robins), a connection sometimes shared the listener's thread, and forward-unique fell from
 * ~95k to ~50k qps.
 */
public final class EventLoops {

  private static final AtomicInteger NEXT_UPSTREAM = new AtomicInteger();
  /** How many of the first loops serve UDP sockets; set once when the listener binds. */
  private static volatile int listenerLoops = 1;

  private EventLoops() {}

  private static List<EventLoop> loops(Vertx vertx) {
    List<EventLoop> loops = new ArrayList<>();
    for (EventExecutor executor : ((VertxInternal) vertx).getEventLoopGroup()) {
      loops.add((EventLoop) executor);
    }
    return loops;
  }

  /**
   * The loops for {@code wanted} UDP sockets, always leaving at least one loop for upstream work.
   */
  public static List<EventLoop> listeners(Vertx vertx, int wanted) {
    List<EventLoop> loops = loops(vertx);
    int count = Math.max(1, Math.min(wanted, loops.size() - 1));
    listenerLoops = count;
    return loops.subList(0, count);
  }

  /** A context on the next loop for upstream work, never a listener's when there is another. */
  public static Context forUpstream(Vertx vertx) {
    List<EventLoop> loops = loops(vertx);
    int first = Math.min(listenerLoops, loops.size() - 1);
    int others = loops.size() - first;
    EventLoop loop = loops.get(first + Math.floorMod(NEXT_UPSTREAM.getAndIncrement(), others));
    VertxInternal internal = (VertxInternal) vertx;
    return internal.createEventLoopContext(loop, internal.getWorkerPool(), Thread.currentThread().getContextClassLoader());
  }
}
