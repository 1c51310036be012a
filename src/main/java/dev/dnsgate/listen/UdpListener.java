package dev.dnsgate.listen;

import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.resolve.QueryPipeline;
import dev.dnsgate.wire.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.smallrye.mutiny.Uni;
import io.vertx.core.impl.VertxInternal;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * DNS over UDP: one datagram in, at most one datagram out, sent as soon as the answer is ready.
 *
 * <p>The socket is a Netty channel on Vert.x's own event loops rather than a Vert.x DatagramSocket,
 * for two measured reasons: Vert.x turns a receive-buffer size into a receive <em>allocation</em> of
 * that size per datagram (so a 4 MiB SO_RCVBUF costs 4 MiB per packet: 5k qps instead of 90k), and
 * it resolves the destination host string on every send.
 */
final class UdpListener {

  private final Channel channel;

  private UdpListener(Channel channel) {
    this.channel = channel;
  }

  static Uni<UdpListener> bind(
      io.vertx.core.Vertx vertx, String address, int port, int socketBuffer, QueryPipeline pipeline) {
    VertxInternal internal = (VertxInternal) vertx;
    InternetProtocolFamily family =
        address.contains(":") ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
    Bootstrap bootstrap =
        new Bootstrap()
            .group(EventLoops.listener(vertx))
            .channelFactory(() -> internal.transport().datagramChannel(family))
            .option(ChannelOption.SO_RCVBUF, socketBuffer)
            .option(ChannelOption.SO_SNDBUF, socketBuffer)
            .handler(new QueryHandler(pipeline));
    ChannelFuture bound = bootstrap.bind(new InetSocketAddress(address, port));
    CompletableFuture<UdpListener> result = new CompletableFuture<>();
    bound.addListener(
        f -> {
          if (f.isSuccess()) {
            result.complete(new UdpListener(bound.channel()));
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return Uni.createFrom().completionStage(result);
  }

  private static final class QueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final QueryPipeline pipeline;

    QueryHandler(QueryPipeline pipeline) {
      this.pipeline = pipeline;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      InetSocketAddress sender = packet.sender();
      Channel channel = ctx.channel();
      pipeline
          .handle(ByteBufUtil.getBytes(packet.content()), Transport.UDP, sender.getAddress())
          .thenAccept(
              reply -> {
                if (reply != null) {
                  channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender));
                }
              });
    }
  }

  /** Stops reading new datagrams; answers to queries already read can still be sent. */
  void stopReading() {
    channel.config().setAutoRead(false);
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  Uni<Void> close() {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.close().addListener(f -> closed.complete(null));
    return Uni.createFrom().completionStage(closed);
  }
}
