package dev.dnsgate.listen;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.jboss.logging.Logger;

/**
 * Sends a UDP answer from whichever thread has it, without a hand-over to the socket's event loop.
 *
 * <p>Netty runs every write on the channel's loop, so an upstream answer used to cost the reading
 * thread a queued task, a wake-up and the system call. A JDK {@link DatagramChannel} may be written
 * by any thread (it serialises its own sends), so on NIO the answer goes out at once. When the send
 * buffer is full, or on the epoll transport, the answer takes Netty's queued path instead, so none is
 * dropped here. So does an answer completed by an interrupted thread: an interrupted send would close
 * the JDK channel, and with it the listener.
 */
final class AnswerSender {

  private static final Logger LOG = Logger.getLogger(AnswerSender.class);
  /** Netty keeps a channel's JDK channel to itself (and the class is final): we keep our own reference. */
  private static final AttributeKey<DatagramChannel> JDK_CHANNEL = AttributeKey.valueOf("dnsgate.jdk-channel");

  private AnswerSender() {}

  /** A Netty NIO channel whose JDK channel {@link #send} can reach. */
  static NioDatagramChannel nioChannel(InternetProtocolFamily family) {
    try {
      DatagramChannel jdk = DatagramChannel.open(
          family == InternetProtocolFamily.IPv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      NioDatagramChannel channel = new NioDatagramChannel(jdk);
      channel.attr(JDK_CHANNEL).set(jdk);
      return channel;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code reply} to {@code client} on {@code channel}; safe from any thread. */
  static void send(Channel channel, byte[] reply, InetSocketAddress client) {
    DatagramChannel jdk = channel.attr(JDK_CHANNEL).get();
    if (jdk != null && channel.isActive() && !Thread.currentThread().isInterrupted()) {
      try {
        if (jdk.send(ByteBuffer.wrap(reply), client) > 0) {
          return;
        }
      } catch (IOException e) {
        LOG.debugf("direct send to %s failed (%s); queued on the socket's loop", client, e.getMessage());
      }
    }
    channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), client));
  }
}
