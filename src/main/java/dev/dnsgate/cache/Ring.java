package dev.dnsgate.cache;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Bytes in a circle: records are appended at the head and leave from the tail in the order they
 * came. The storage is a few large arrays, overwritten ever after, so that a full cache is a handful
 * of objects to the collector instead of several per answer: with one object graph per entry, every
 * young collection copied the answers cached since the last one (BENCHMARKS.md, "The answer cache in
 * a few arrays"). The arrays are all allocated with the ring, at start-up, so that they reach the old
 * generation before clients come: allocated as the head first reached them, the main rings' arrays
 * came all at once when hits began to move answers there, and the young collection that had to copy
 * those ~15 MB paused every thread for 4-12 ms (BENCHMARKS.md, "Young pauses at rest").
 *
 * <p>Positions count bytes from the ring's start and never wrap; a position's place is the position
 * modulo the capacity. A record never spans two arrays: where one does not fit in the rest of an
 * array, that rest is skipped (marked by its negated length when there is room for the mark).
 * Not thread-safe: the segment that owns the ring guards it.
 */
final class Ring {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private final int chunkSize;
  private final byte[][] chunks;
  private final long capacity;
  private long head;
  private long tail;

  /** A ring of about {@code capacity} bytes in arrays of at most {@code maxChunk} bytes. */
  Ring(long capacity, int maxChunk) {
    int count = (int) Math.max(1, (capacity + maxChunk - 1) / maxChunk);
    this.chunkSize = (int) Math.max(1, capacity / count);
    this.chunks = new byte[count][];
    for (int i = 0; i < count; i++) {
      chunks[i] = new byte[chunkSize];
    }
    this.capacity = (long) chunkSize * count;
  }

  /** The longest record the ring takes: half an array, so that a record always fits an empty ring. */
  int largestRecord() {
    return chunkSize / 2;
  }

  long capacity() {
    return capacity;
  }

  /** Whether a record of {@code length} bytes fits at the head without overwriting the tail. */
  boolean fits(int length) {
    int rest = chunkSize - offset(head);
    long needed = length <= rest ? length : (long) rest + length;
    return head + needed - tail <= capacity;
  }

  /** Claims {@code length} bytes at the head (the caller checked {@link #fits}); returns their position. */
  long append(int length) {
    int rest = chunkSize - offset(head);
    if (length > rest) {
      if (rest >= Integer.BYTES) {
        putInt(head, 0, -rest);
      }
      head += rest;
    }
    long position = head;
    head += length;
    return position;
  }

  /**
   * Moves the tail past skipped space to the oldest record; returns its position, or -1 when the ring
   * is empty. The caller reads the record's length and {@link #release}s it.
   */
  long oldest() {
    while (tail < head) {
      int rest = chunkSize - offset(tail);
      if (rest < Integer.BYTES) {
        tail += rest;
        continue;
      }
      int length = getInt(tail, 0);
      if (length < 0) {
        tail += -length;
        continue;
      }
      return tail;
    }
    return -1;
  }

  /** Lets the oldest record go: its bytes may be overwritten from now on. */
  void release(int length) {
    tail += length;
  }

  /** Empties the ring; the arrays stay for reuse. */
  void clear() {
    head = 0;
    tail = 0;
  }

  byte[] array(long position) {
    return chunks[chunkIndex(position)];
  }

  int offset(long position) {
    return (int) (position % capacity % chunkSize);
  }

  private int chunkIndex(long position) {
    return (int) (position % capacity / chunkSize);
  }

  int getInt(long position, int field) {
    return (int) INT.get(array(position), offset(position) + field);
  }

  void putInt(long position, int field, int value) {
    INT.set(array(position), offset(position) + field, value);
  }

  long getLong(long position, int field) {
    return (long) LONG.get(array(position), offset(position) + field);
  }

  void putLong(long position, int field, long value) {
    LONG.set(array(position), offset(position) + field, value);
  }

  int getShort(long position, int field) {
    return Short.toUnsignedInt((short) SHORT.get(array(position), offset(position) + field));
  }

  void putShort(long position, int field, int value) {
    SHORT.set(array(position), offset(position) + field, (short) value);
  }

  int getByte(long position, int field) {
    return array(position)[offset(position) + field] & 0xff;
  }

  void putByte(long position, int field, int value) {
    array(position)[offset(position) + field] = (byte) value;
  }

  void read(long position, int field, byte[] to, int at, int length) {
    System.arraycopy(array(position), offset(position) + field, to, at, length);
  }

  void write(long position, int field, byte[] from, int at, int length) {
    System.arraycopy(from, at, array(position), offset(position) + field, length);
  }
}
