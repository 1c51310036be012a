package dev.dnsgate.listen;

import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.smallrye.mutiny.Uni;
import io.vertx.core.impl.VertxInternal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * DNS over UDP: one datagram in, at most one datagram out, sent as soon as the answer is ready.
 *
 * <p>One socket is read by one thread only. With Netty's native epoll transport, several sockets
 * share the port through SO_REUSEPORT (the kernel spreads clients over them), one per event loop;
 * elsewhere there is one socket.
 *
 * <p>The socket is a Netty channel on Vert.x's own event loops rather than a Vert.x DatagramSocket,
 * for two measured reasons: Vert.x turns a receive-buffer size into a receive <em>allocation</em> of
 * that size per datagram (so a 4 MiB SO_RCVBUF costs 4 MiB per packet: 5k qps instead of 90k), and
 * it resolves the destination host string on every send.
 *
 * <p>An answer ready at once (cache, rules) is written by the reading thread; one that completes later
 * (an upstream's) is sent by the thread that completes it, through {@link AnswerSender}: on NIO
 * straight to the socket. Handing those sends to the reading thread made them 40 % of its work
 * during a random-subdomain flood, and cached answers then waited behind them (BENCHMARKS.md).
 */
final class UdpListener implements Listener {

  private final List<Channel> channels;

  private UdpListener(List<Channel> channels) {
    this.channels = channels;
  }

  static Uni<UdpListener> bind(io.vertx.core.Vertx vertx, EventLoops eventLoops, String address, int port,
      int socketBuffer, int sockets, QueryPipeline pipeline) {
    VertxInternal internal = (VertxInternal) vertx;
    boolean reusePort = reusePort(vertx);
    List<EventLoop> loops = eventLoops.listeners(socketCount(vertx, sockets));
    InternetProtocolFamily family =
        address.contains(":") ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
    return Uni.createFrom().completionStage(() -> {
      List<Channel> bound = new ArrayList<>();
      CompletableFuture<UdpListener> all = new CompletableFuture<>();
      bindNext(loops, 0, port, bound, all, b -> {
        b.channelFactory(() -> reusePort ? internal.transport().datagramChannel(family) : AnswerSender.nioChannel(family))
            .option(ChannelOption.SO_RCVBUF, socketBuffer)
            .option(ChannelOption.SO_SNDBUF, socketBuffer)
            .handler(new QueryHandler(pipeline::handle));
        if (reusePort) {
          b.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        return b;
      }, address);
      return all;
    });
  }

  /** How many sockets (and so event loops) {@code wanted} gives: several only with SO_REUSEPORT. */
  static int socketCount(io.vertx.core.Vertx vertx, int wanted) {
    return reusePort(vertx) ? wanted : 1;
  }

  private static boolean reusePort(io.vertx.core.Vertx vertx) {
    return vertx.isNativeTransportEnabled() && Epoll.isAvailable();
  }

  /** Binds the sockets one after another; the first may pick the port (0), the others reuse it. */
  private static void bindNext(List<EventLoop> loops, int index, int port, List<Channel> bound,
      CompletableFuture<UdpListener> all, UnaryOperator<Bootstrap> configure, String address) {
    if (index == loops.size()) {
      all.complete(new UdpListener(List.copyOf(bound)));
      return;
    }
    ChannelFuture future = configure.apply(new Bootstrap().group(loops.get(index)))
        .bind(new InetSocketAddress(address, port));
    future.addListener(f -> {
      if (!f.isSuccess()) {
        bound.forEach(Channel::close);
        all.completeExceptionally(f.cause());
        return;
      }
      bound.add(future.channel());
      int actual = ((InetSocketAddress) future.channel().localAddress()).getPort();
      bindNext(loops, index + 1, actual, bound, all, configure, address);
    });
  }

  /** What the listener asks of the pipeline: the answer to a client's bytes (null: no answer). */
  @FunctionalInterface
  interface Answering {
    CompletableFuture<byte[]> answer(byte[] query, Transport transport, InetAddress client);
  }

  static final class QueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final Answering pipeline;
    /** Answers written during this read and not yet flushed; touched on the channel's loop only. */
    private boolean unflushed;
    /** Whether a query of this read went on to an upstream; touched on the channel's loop only. */
    private boolean forwardedThisRead;

    QueryHandler(Answering pipeline) {
      this.pipeline = pipeline;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      InetSocketAddress sender = packet.sender();
      Channel channel = ctx.channel();
      CompletableFuture<byte[]> answer =
          pipeline.answer(ByteBufUtil.getBytes(packet.content()), Transport.UDP, sender.getAddress());
      if (answer.isDone()) {
        // Answered at once (cache, rules): flushed with the others of this read (Netty reads up to 16
        // datagrams per wake-up), which measured ~10 % more cache hits than a flush per answer; but
        // at once when this read also carries queries for an upstream, whose work would hold it back
        // (a cached answer waited for up to 15 misses during a flood: BENCHMARKS.md, Latency).
        byte[] reply = answer.join();
        if (reply != null) {
          ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender));
          unflushed = true;
          if (forwardedThisRead) {
            flush(ctx);
          }
        }
        return;
      }
      forwardedThisRead = true;
      flush(ctx);
      answer.thenAccept(reply -> {
        if (reply != null) {
          AnswerSender.send(channel, reply, sender);
        }
      });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      forwardedThisRead = false;
      flush(ctx);
      ctx.fireChannelReadComplete();
    }

    private void flush(ChannelHandlerContext ctx) {
      if (unflushed) {
        unflushed = false;
        ctx.flush();
      }
    }
  }

  /** Stops reading new datagrams; answers to queries already read can still be sent. */
  @Override
  public void stopAccepting() {
    channels.forEach(c -> c.config().setAutoRead(false));
  }

  int port() {
    return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
  }

  int sockets() {
    return channels.size();
  }

  @Override
  public void registerMeters(MeterRegistry registry) {
    int port = port();
    FunctionCounter.builder("dnsgate.udp.kernel_drops", this, l -> KernelUdpDrops.forPort(port))
        .description("Datagrams the kernel dropped on the listening socket (buffer full: load shed)")
        .register(registry);
  }

  @Override
  public Uni<Void> close() {
    CompletableFuture<?>[] closed = channels.stream().map(c -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      c.close().addListener(f -> done.complete(null));
      return done;
    }).toArray(CompletableFuture[]::new);
    return Uni.createFrom().completionStage(CompletableFuture.allOf(closed));
  }
}
