package dev.dnsgate.rules.match;

/**
 * A set of 64-bit hashes in one open-addressed array: 16 bytes per entry at most, no object per
 * entry, so a million-domain block list takes about 16 MiB instead of the ~100 MiB of a HashSet of
 * Strings. (fastutil has this class, but is a 20 MB dependency for it.)
 */
final class LongHashSet {

  /** 0 marks a free slot; a real hash of 0 is stored as this instead. */
  private static final long ZERO_STANDIN = 0x9E3779B97F4A7C15L;
  private long[] slots = new long[16];
  private int size;

  void add(long hash) {
    long value = hash == 0 ? ZERO_STANDIN : hash;
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    if (insert(slots, value)) {
      size++;
    }
  }

  boolean contains(long hash) {
    long value = hash == 0 ? ZERO_STANDIN : hash;
    int mask = slots.length - 1;
    for (int i = spread(value) & mask; ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == value) {
        return true;
      }
      if (slot == 0) {
        return false;
      }
    }
  }

  int size() {
    return size;
  }

  private static boolean insert(long[] table, long value) {
    int mask = table.length - 1;
    for (int i = spread(value) & mask; ; i = (i + 1) & mask) {
      if (table[i] == value) {
        return false;
      }
      if (table[i] == 0) {
        table[i] = value;
        return true;
      }
    }
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (long value : slots) {
      if (value != 0) {
        insert(bigger, value);
      }
    }
    slots = bigger;
  }

  private static int spread(long value) {
    return (int) (value ^ (value >>> 32));
  }
}
