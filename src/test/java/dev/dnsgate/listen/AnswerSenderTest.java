package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnswerSenderTest {

  private final NioEventLoopGroup loop = new NioEventLoopGroup(1);

  @AfterEach
  void stop() {
    loop.shutdownGracefully();
  }

  private Channel bound(Supplier<NioDatagramChannel> factory) throws InterruptedException {
    return new Bootstrap().group(loop).channelFactory(factory::get).handler(new ChannelInboundHandlerAdapter())
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
  }

  private static byte[] sendAndReceive(Channel channel) throws Exception {
    try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      client.setSoTimeout(5_000);
      byte[] answer = {1, 2, 3, 4, 5};
      Thread sender = new Thread(() -> AnswerSender.send(channel, answer,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), client.getLocalPort())));
      sender.start(); // not the channel's loop, as for an upstream's answer
      DatagramPacket received = new DatagramPacket(new byte[512], 512);
      client.receive(received);
      sender.join();
      return Arrays.copyOf(received.getData(), received.getLength());
    }
  }

  @Test
  void answerFromAnotherThreadGoesStraightOutOfTheListenerSocket() throws Exception {
    Channel channel = bound(() -> AnswerSender.nioChannel(InternetProtocolFamily.IPv4));
    CountDownLatch release = new CountDownLatch(1);
    loop.execute(() -> awaitQuietly(release)); // the socket's loop is busy: only a direct send gets through

    try {
      assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, sendAndReceive(channel));
    } finally {
      release.countDown();
    }
    channel.close().sync();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void channelWithoutItsOwnJdkChannelStillGetsTheAnswerThroughItsLoop() throws Exception {
    Channel channel = bound(NioDatagramChannel::new);

    assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, sendAndReceive(channel));
    channel.close().sync();
  }
}
