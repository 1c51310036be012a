package dev.dnsgate.rules.rpz;

import java.util.function.LongConsumer;

/**
 * 64-bit keys to small values (0 to 7) in one open-addressed array: the value lives in the key's
 * three low bits, which {@link Triggers#key} leaves zero, so a slot is one long and there is no
 * object per entry. Two million policy records take 32 MiB at most, as many names in a block list
 * (LongHashSet) would. Deletes shift the following entries back instead of leaving tombstones, so
 * lookups stay short after IXFRs. Not thread-safe: filled by one thread, then published read-only
 * (see {@link Triggers}).
 */
final class LongIntMap {

  static final int ABSENT = -1;
  /** The bits that hold the value; keys must have them zero. */
  static final long VALUE_BITS = 7;
  /** 0 marks a free slot; a real key of 0 is stored as this instead. */
  private static final long ZERO_STANDIN = 0x9E3779B97F4A7C15L & ~VALUE_BITS;

  private long[] slots;
  private int size;

  LongIntMap(int expected) {
    int capacity = 16;
    while (capacity * 3L < expected * 4L + 4) {
      capacity <<= 1;
    }
    slots = new long[capacity];
  }

  int get(long key) {
    long k = stored(key);
    int mask = slots.length - 1;
    for (int i = spread(k) & mask; ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == 0) {
        return ABSENT;
      }
      if ((slot & ~VALUE_BITS) == k) {
        return (int) (slot & VALUE_BITS);
      }
    }
  }

  /** @param value 0 to 7 */
  void put(long key, int value) {
    long k = stored(key);
    if ((size + 1) * 4L > slots.length * 3L) {
      resize(slots.length * 2);
    }
    int mask = slots.length - 1;
    for (int i = spread(k) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == 0 || (slots[i] & ~VALUE_BITS) == k) {
        size += slots[i] == 0 ? 1 : 0;
        slots[i] = k | value;
        return;
      }
    }
  }

  void remove(long key) {
    long k = stored(key);
    int mask = slots.length - 1;
    int i = spread(k) & mask;
    while ((slots[i] & ~VALUE_BITS) != k) {
      if (slots[i] == 0) {
        return;
      }
      i = (i + 1) & mask;
    }
    // backward-shift deletion: move later members of the probe run into the gap
    int gap = i;
    for (int j = (gap + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int home = spread(slots[j] & ~VALUE_BITS) & mask;
      boolean movable = gap <= j ? (home <= gap || home > j) : (home <= gap && home > j);
      if (movable) {
        slots[gap] = slots[j];
        gap = j;
      }
    }
    slots[gap] = 0;
    size--;
  }

  int size() {
    return size;
  }

  /** Every key, in no order. */
  void forEachKey(LongConsumer action) {
    for (long slot : slots) {
      if (slot != 0) {
        long k = slot & ~VALUE_BITS;
        action.accept(k == ZERO_STANDIN ? 0 : k);
      }
    }
  }

  /** Bytes held by the array, for the memory figure in the feed status. */
  long bytes() {
    return slots.length * 8L;
  }

  private static long stored(long key) {
    long k = key & ~VALUE_BITS;
    return k == 0 ? ZERO_STANDIN : k;
  }

  private void resize(int capacity) {
    long[] old = slots;
    slots = new long[capacity];
    size = 0;
    for (long slot : old) {
      if (slot != 0) {
        long k = slot & ~VALUE_BITS;
        put(k == ZERO_STANDIN ? 0 : k, (int) (slot & VALUE_BITS));
      }
    }
  }

  private static int spread(long value) {
    long h = value ^ (value >>> 29);
    return (int) (h ^ (h >>> 32));
  }
}
