package dev.dnsgate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

  private final List<Buffer> messages = new ArrayList<>();
  private final FrameReader reader = new FrameReader(messages::add);

  private static Buffer stream(String... texts) {
    Buffer all = Buffer.buffer();
    for (String text : texts) {
      all.appendBuffer(FrameReader.frame(text.getBytes(StandardCharsets.US_ASCII)));
    }
    return all;
  }

  private List<String> texts() {
    return messages.stream().map(b -> b.toString(StandardCharsets.US_ASCII)).toList();
  }

  @Test
  void severalFramesInOneReadComeOutInOrder() {
    reader.handle(stream("first", "second", "third"));

    assertEquals(List.of("first", "second", "third"), texts());
    assertFalse(reader.midFrame());
  }

  @Test
  void framesFedOneByteAtATimeComeOutWhole() {
    Buffer all = stream("alpha", "beta");
    int firstEnds = 2 + "alpha".length() - 1;
    for (int i = 0; i < all.length(); i++) {
      reader.handle(all.getBuffer(i, i + 1));
      assertEquals(i != firstEnds && i != all.length() - 1, reader.midFrame(), "mid-frame after byte " + i);
    }

    assertEquals(List.of("alpha", "beta"), texts());
  }

  @Test
  void largestFrameInSmallReadsComesOutWhole() {
    byte[] message = new byte[65535];
    for (int i = 0; i < message.length; i++) {
      message[i] = (byte) i;
    }
    Buffer all = FrameReader.frame(message).appendBuffer(stream("next"));
    for (int i = 0; i < all.length(); i += 7) {
      reader.handle(all.getBuffer(i, Math.min(i + 7, all.length())));
    }

    assertEquals(2, messages.size());
    assertEquals(Buffer.buffer(message), messages.get(0));
    assertEquals("next", texts().get(1));
  }

  @Test
  void zeroLengthFrameCarriesNoMessage() {
    reader.handle(Buffer.buffer().appendUnsignedShort(0).appendBuffer(stream("after")));

    assertEquals(List.of("after"), texts());
  }

  @Test
  void messagesHandedOnStayIntactWhileLaterReadsArrive() {
    Buffer all = stream("kept", "split-across-reads", "last");
    reader.handle(all.getBuffer(0, 10));
    reader.handle(all.getBuffer(10, all.length()));

    assertEquals(List.of("kept", "split-across-reads", "last"), texts());
    assertTrue(messages.stream().allMatch(b -> b.length() > 0));
  }
}
