package dev.dnsgate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Coverage-guided fuzzing of the bytes-to-response path (Jazzer). The normal test command replays
 * the inputs under src/test/resources/dev/dnsgate/wire/QueryPathFuzzTestInputs (malformed packets,
 * and every finding once fixed); {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=QueryPathFuzzTest} fuzzes.
 */
class QueryPathFuzzTest {

  private static final ResponseShaper SHAPER = new ResponseShaper(1232);
  private static final QueryDecoder DECODER = new QueryDecoder(1232, SHAPER);

  /** Any packet: a query that shapes within the size limit, an error reply with the same ID, or a drop. */
  @FuzzTest(maxDuration = "60s")
  void anyPacketGetsAWellFormedAnswerOrNone(byte[] packet) throws IOException {
    for (Transport transport : Transport.values()) {
      Decoded decoded = DECODER.decode(packet, transport, InetAddress.getLoopbackAddress());
      if (decoded instanceof Decoded.Query query) {
        QueryContext ctx = query.context();
        assertNotNull(ctx.question(), "a query reaches the rules only with its question");
        byte[] wire = SHAPER.shape(Responses.error(ctx, Rcode.SERVFAIL), ctx, null);
        assertTrue(wire.length <= ctx.answerLimit(), "answer fits the client's limit");
        Message reply = new Message(wire);
        assertEquals(ctx.id(), reply.getHeader().getID());
      } else if (decoded instanceof Decoded.Reply reply) {
        Message parsed = new Message(reply.wire());
        assertEquals(((packet[0] & 0xff) << 8) | (packet[1] & 0xff), parsed.getHeader().getID());
      }
    }
  }

  /**
   * Any byte stream cut into any chunks: the frames found, and whether a frame is left half read
   * (which starts the read timeout), never depend on where the cuts fall.
   */
  @FuzzTest(maxDuration = "60s")
  void tcpFramingIsIndependentOfChunking(FuzzedDataProvider data) {
    byte[] stream = data.consumeBytes(4096);
    List<String> whole = frames(stream, new int[] {stream.length});
    int[] cuts = new int[data.consumeInt(1, 16)];
    for (int i = 0; i < cuts.length; i++) {
      cuts[i] = data.consumeInt(0, 64);
    }
    assertEquals(whole, frames(stream, cuts));
  }

  private static List<String> frames(byte[] stream, int[] chunkSizes) {
    List<String> found = new ArrayList<>();
    FrameReader reader = new FrameReader(frame -> found.add(frame.toString("ISO-8859-1")));
    int pos = 0;
    for (int i = 0; pos < stream.length; i++) {
      int size = Math.min(stream.length - pos, Math.max(1, chunkSizes[i % chunkSizes.length]));
      reader.handle(Buffer.buffer().appendBytes(stream, pos, size));
      pos += size;
    }
    found.add(reader.midFrame() ? "mid-frame" : "between frames");
    return found;
  }
}
