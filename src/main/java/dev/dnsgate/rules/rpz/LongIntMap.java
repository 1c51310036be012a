package dev.dnsgate.rules.rpz;

import java.util.function.LongConsumer;

/**
 * 64-bit keys to small int values in two parallel open-addressed arrays: 12 bytes per slot and no
 * object per entry, so two million policy records fit in ~50 MiB (a HashMap would need ~150). Deletes
 * shift the following entries back instead of leaving tombstones, so lookups stay short after IXFRs.
 * Not thread-safe: filled by one thread, then published read-only (see {@link Triggers}).
 */
final class LongIntMap {

  static final int ABSENT = -1;
  /** 0 marks a free slot; a real key of 0 is stored as this instead. */
  private static final long ZERO_STANDIN = 0x9E3779B97F4A7C15L;

  private long[] keys;
  private int[] values;
  private int size;

  LongIntMap(int expected) {
    int capacity = 16;
    while (capacity * 3L < expected * 4L + 4) {
      capacity <<= 1;
    }
    keys = new long[capacity];
    values = new int[capacity];
  }

  int get(long key) {
    long k = key == 0 ? ZERO_STANDIN : key;
    int mask = keys.length - 1;
    for (int i = spread(k) & mask; ; i = (i + 1) & mask) {
      long slot = keys[i];
      if (slot == k) {
        return values[i];
      }
      if (slot == 0) {
        return ABSENT;
      }
    }
  }

  void put(long key, int value) {
    long k = key == 0 ? ZERO_STANDIN : key;
    if ((size + 1) * 4L > keys.length * 3L) {
      resize(keys.length * 2);
    }
    int mask = keys.length - 1;
    for (int i = spread(k) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == k) {
        values[i] = value;
        return;
      }
      if (keys[i] == 0) {
        keys[i] = k;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  void remove(long key) {
    long k = key == 0 ? ZERO_STANDIN : key;
    int mask = keys.length - 1;
    int i = spread(k) & mask;
    while (keys[i] != k) {
      if (keys[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    // backward-shift deletion: move later members of the probe run into the gap
    int gap = i;
    for (int j = (gap + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int home = spread(keys[j]) & mask;
      boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
      if (movable) {
        keys[gap] = keys[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    keys[gap] = 0;
    size--;
  }

  int size() {
    return size;
  }

  /** Every key, in no order (a key stored as the zero stand-in is reported as 0). */
  void forEachKey(LongConsumer action) {
    for (long k : keys) {
      if (k != 0) {
        action.accept(k == ZERO_STANDIN ? 0 : k);
      }
    }
  }

  /** Bytes held by the arrays, for the memory figure in the feed status. */
  long bytes() {
    return keys.length * 12L;
  }

  private void resize(int capacity) {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[capacity];
    values = new int[capacity];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        put(oldKeys[i] == ZERO_STANDIN ? 0 : oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int spread(long value) {
    long h = value ^ (value >>> 29);
    return (int) (h ^ (h >>> 32));
  }
}
