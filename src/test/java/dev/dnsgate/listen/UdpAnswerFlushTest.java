package dev.dnsgate.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * When answers given at once (cache hits, rule answers) leave the UDP listener: with the others of
 * the same read while it carries only such queries, at once when it also carries queries that go on
 * to an upstream, whose work would otherwise hold them back.
 */
class UdpAnswerFlushTest {

  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 5353);
  private static final byte[] HIT = {'h'};
  private static final byte[] MISS = {'m'};

  /** Answers "hit" at once with its own bytes and never answers "miss" (it waits for an upstream). */
  private final EmbeddedChannel channel = new EmbeddedChannel(new UdpListener.QueryHandler(
      (query, transport, client) -> query[0] == 'h'
          ? CompletableFuture.completedFuture(query)
          : new CompletableFuture<>()));

  private void read(byte[] query) {
    channel.pipeline().fireChannelRead(new DatagramPacket(Unpooled.wrappedBuffer(query), null, CLIENT));
  }

  private byte[] sent() {
    DatagramPacket packet = channel.readOutbound();
    if (packet == null) {
      return null;
    }
    try {
      assertEquals(CLIENT, packet.recipient());
      return ByteBufUtil.getBytes(packet.content());
    } finally {
      packet.release();
    }
  }

  @Test
  void answersOfAReadOfHitsOnlyLeaveTogetherWhenTheReadEnds() {
    read(HIT);
    read(HIT);
    assertNull(sent(), "held for the end of the read");

    channel.pipeline().fireChannelReadComplete();

    assertArrayEquals(HIT, sent());
    assertArrayEquals(HIT, sent());
  }

  @Test
  void hitLeavesAtOnceInAReadThatAlsoForwards() {
    read(MISS);
    read(HIT);

    assertArrayEquals(HIT, sent(), "not held behind the queries still to come in this read");
  }

  @Test
  void hitsReadBeforeAMissLeaveBeforeTheRestOfTheRead() {
    read(HIT);
    read(MISS);

    assertArrayEquals(HIT, sent());
  }

  @Test
  void nextReadOfHitsOnlyIsHeldForItsEndAgain() {
    read(MISS);
    channel.pipeline().fireChannelReadComplete();
    read(HIT);

    assertNull(sent());
    channel.pipeline().fireChannelReadComplete();
    assertArrayEquals(HIT, sent());
  }
}
