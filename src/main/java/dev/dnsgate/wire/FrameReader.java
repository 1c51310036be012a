package dev.dnsgate.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Splits a TCP byte stream into DNS messages, each prefixed by a two-byte length (RFC 1035 section
 * 4.2.2). Handles frames split across reads and several frames in one read; a zero length carries no
 * message and is skipped.
 *
 * <p>A whole frame inside one read is handed on as a slice of that read, without a copy; only the
 * unfinished tail of a read is kept, as a copy. (Vert.x's RecordParser copied every message twice,
 * about 2 KB of garbage per upstream answer in allocation profiles.) The slice stays valid after the
 * handler returns only as long as the caller keeps the read: the upstream connection releases its
 * reads to Netty's pool, so its handler copies what it keeps.
 */
public final class FrameReader implements Handler<Buffer> {

  private static final int PREFIX = 2;

  private final Handler<Buffer> messageHandler;
  /** The unfinished end of earlier reads (part of a prefix or of a message), or null. */
  private Buffer carry;

  public FrameReader(Handler<Buffer> messageHandler) {
    this.messageHandler = messageHandler;
  }

  @Override
  public void handle(Buffer bytes) {
    Buffer data = carry == null ? bytes : carry.appendBuffer(bytes);
    carry = null;
    int length = data.length();
    int pos = 0;
    while (length - pos >= PREFIX) {
      int size = data.getUnsignedShort(pos);
      if (length - pos - PREFIX < size) {
        break;
      }
      if (size > 0) {
        messageHandler.handle(data.slice(pos + PREFIX, pos + PREFIX + size));
      }
      pos += PREFIX + size;
    }
    if (pos < length) {
      // Our own unfinished frame with nothing handed on keeps growing in place (appends are amortised,
      // so a frame sent a byte at a time costs linear, not quadratic, copying); otherwise a new
      // buffer, as slices handed on above still point into data and a read's buffer is not ours.
      carry = pos == 0 && data != bytes ? data : Buffer.buffer(length - pos).appendBuffer(data, pos, length - pos);
    }
  }

  /** True while part of a length prefix or message has arrived and the rest has not. */
  public boolean midFrame() {
    return carry != null;
  }

  /** A message framed for TCP: length prefix, then the message. */
  public static Buffer frame(byte[] message) {
    return Buffer.buffer(PREFIX + message.length).appendUnsignedShort(message.length).appendBytes(message);
  }
}
