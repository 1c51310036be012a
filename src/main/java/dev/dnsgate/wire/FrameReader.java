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
  /** Bytes received that are not yet part of a handled prefix or message. */
  private long pending;

  public FrameReader(Handler<Buffer> messageHandler) {
    this.parser = RecordParser.newFixed(PREFIX);
    parser.handler(
        chunk -> {
          pending -= chunk.length();
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
    pending += bytes.length();
    parser.handle(bytes);
  }

  /** True while part of a length prefix or message has arrived and the rest has not. */
  public boolean midFrame() {
    return pending > 0;
  }

  /** A message framed for TCP: length prefix, then the message. */
  public static Buffer frame(byte[] message) {
    return Buffer.buffer(PREFIX + message.length).appendUnsignedShort(message.length).appendBytes(message);
  }
}
