package dev.dnsgate.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Splits a TCP byte stream into DNS messages, each prefixed by a two-byte length (RFC 1035 section
 * 4.2.2). Handles frames split across reads and several frames in one read; a zero length carries no
 * message and is skipped.
 */
public final class FrameReader implements Handler<Buffer> {

  private static final int PREFIX = 2;

  private final RecordParser parser;
  private boolean expectingPrefix = true;

  public FrameReader(Handler<Buffer> messageHandler) {
    this.parser = RecordParser.newFixed(PREFIX);
    parser.handler(
        chunk -> {
          if (expectingPrefix) {
            int length = chunk.getUnsignedShort(0);
            if (length > 0) {
              expectingPrefix = false;
              parser.fixedSizeMode(length);
            }
          } else {
            expectingPrefix = true;
            parser.fixedSizeMode(PREFIX);
            messageHandler.handle(chunk);
          }
        });
  }

  @Override
  public void handle(Buffer bytes) {
    parser.handle(bytes);
  }

  /** A message framed for TCP: length prefix, then the message. */
  public static Buffer frame(byte[] message) {
    return Buffer.buffer(PREFIX + message.length).appendUnsignedShort(message.length).appendBytes(message);
  }
}
