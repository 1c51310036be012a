package dev.dnsgate.rules.match;

import java.util.List;

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

  /**
   * A set over a table as {@link #slots()} gave it (from a snapshot); refused unless a lookup can
   * walk it: a power-of-two length, {@code size} entries, and at least half the slots free as here.
   */
  static LongHashSet of(long[] slots, int size) {
    int used = 0;
    for (long slot : slots) {
      if (slot != 0) {
        used++;
      }
    }
    if (slots.length < 16 || Integer.bitCount(slots.length) != 1 || used != size || (long) size * 2 > slots.length) {
      throw new IllegalArgumentException("not a table of this set: " + size + " entries in " + slots.length + " slots");
    }
    LongHashSet set = new LongHashSet();
    set.slots = slots;
    set.size = size;
    return set;
  }

  /** The table itself, for a snapshot; not to be changed. */
  long[] slots() {
    return slots;
  }

  void add(long hash) {
    long value = hash == 0 ? ZERO_STANDIN : hash;
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    if (insert(slots, value)) {
      size++;
    }
  }

  /** Adds every hash of {@code other} (hashes as stored: the zero stand-in stays one). */
  void addAll(LongHashSet other) {
    for (long value : other.slots) {
      if (value != 0) {
        if ((size + 1) * 2 > slots.length) {
          grow();
        }
        if (insert(slots, value)) {
          size++;
        }
      }
    }
  }

  boolean contains(long hash) {
    return containsStored(hash == 0 ? ZERO_STANDIN : hash);
  }

  int size() {
    return size;
  }

  /** How many of this set's hashes {@code other} holds too. */
  long countShared(LongHashSet other) {
    long shared = 0;
    for (long value : slots) {
      if (value != 0 && other.containsStored(value)) {
        shared++;
      }
    }
    return shared;
  }

  /** Whether every hash here is in one of {@code others}. */
  boolean allIn(List<LongHashSet> others) {
    for (long value : slots) {
      if (value != 0 && !inAny(others, value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean inAny(List<LongHashSet> sets, long stored) {
    for (LongHashSet set : sets) {
      if (set.containsStored(stored)) {
        return true;
      }
    }
    return false;
  }

  /** A value as stored (zero already replaced by its stand-in). */
  private boolean containsStored(long value) {
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
