package dev.dnsgate.warmup;

import dev.dnsgate.wire.FrameReader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The warm-up's upstream: a DoT server on a loopback port of its own Vert.x, answering every query
 * with one A record the way a public resolver does (RD, RA, an OPT record padded to RFC 8467's
 * 468-byte blocks), so that the client side runs the code real answers take.
 */
final class LoopbackDotServer implements AutoCloseable {

  private static final int RESPONSE_BLOCK = 468;
  private static final long ANSWER_TTL = 300;
  private static final InetAddress ANSWER = InetAddress.getLoopbackAddress();

  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;

  LoopbackDotServer(ThrowawayCertificate certificate) throws Exception {
    NetServerOptions options = new NetServerOptions()
        .setHost(InetAddress.getLoopbackAddress().getHostAddress())
        .setPort(0)
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(certificate.certificatePem()))
            .setKeyValue(Buffer.buffer(certificate.privateKeyPem())));
    server = vertx.createNetServer(options).connectHandler(this::serve);
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  private void serve(NetSocket socket) {
    socket.handler(new FrameReader(frame -> {
      try {
        socket.write(FrameReader.frame(answer(new Message(frame.getBytes()))));
      } catch (IOException e) {
        socket.close(); // our own client sent it: cannot happen, but never answer garbage
      }
    }));
  }

  private static byte[] answer(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RD);
    response.getHeader().setFlag(Flags.RA);
    Record question = query.getQuestion();
    response.addRecord(question, Section.QUESTION);
    response.addRecord(new ARecord(question.getName(), question.getDClass(), ANSWER_TTL, ANSWER), Section.ANSWER);
    response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    int unpadded = response.toWire().length + 4; // the padding option's own header counts
    response.removeRecord(response.getOPT(), Section.ADDITIONAL);
    List<EDNSOption> padding = List.of(new GenericEDNSOption(EDNSOption.Code.PADDING,
        new byte[(RESPONSE_BLOCK - unpadded % RESPONSE_BLOCK) % RESPONSE_BLOCK]));
    response.addRecord(new OPTRecord(1232, 0, 0, 0, padding), Section.ADDITIONAL);
    return response.toWire();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
