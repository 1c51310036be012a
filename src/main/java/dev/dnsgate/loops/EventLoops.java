package dev.dnsgate.loops;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which event loop does what. The UDP listener sockets own the first loops (one socket each);
 * upstream TLS connections are spread over the others. Quarkus starts one loop per core, so on 2 cores
 * a single loop carries every connection. Left to chance (Netty's and Vert.x's separate round-robins),
 * a connection sometimes shared the listener's thread, and forward-unique fell from ~95k to ~50k qps.
 */
// One instance per Vert.x: the split is state that the listeners set and the upstreams read.
@Singleton
public final class EventLoops {

  private final Vertx vertx;
  private final AtomicInteger nextUpstream = new AtomicInteger();
  /** How many of the first loops serve UDP sockets; set when the UDP listener binds. */
  private volatile int listenerLoops = 1;

  public EventLoops(Vertx vertx) {
    this.vertx = vertx;
  }

  private List<EventLoop> loops() {
    List<EventLoop> loops = new ArrayList<>();
    for (EventExecutor executor : ((VertxInternal) vertx).getEventLoopGroup()) {
      loops.add((EventLoop) executor);
    }
    return loops;
  }

  /**
   * The loops for {@code wanted} UDP sockets, always leaving at least one loop for upstream work.
   */
  public List<EventLoop> listeners(int wanted) {
    List<EventLoop> loops = loops();
    int count = Math.max(1, Math.min(wanted, loops.size() - 1));
    listenerLoops = count;
    return loops.subList(0, count);
  }

  /** A context on the next loop for upstream work, never a listener's when there is another. */
  public Context forUpstream() {
    List<EventLoop> loops = loops();
    int first = Math.min(listenerLoops, loops.size() - 1);
    int others = loops.size() - first;
    EventLoop loop = loops.get(first + Math.floorMod(nextUpstream.getAndIncrement(), others));
    VertxInternal internal = (VertxInternal) vertx;
    return internal.createEventLoopContext(loop, internal.getWorkerPool(), Thread.currentThread().getContextClassLoader());
  }
}
