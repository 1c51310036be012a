package dev.dnsgate.rules.rpz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Every trigger of one policy zone at one serial: immutable once published, so queries read it
 * without locks. A zone transfer builds a new one; an IXFR makes a new one that shares the big base
 * table with the old and carries the changes in a small overlay, so a few thousand changes cost a
 * few thousand map entries rather than a rebuild, and queries never wait. When the overlay grows
 * past {@link #COMPACT_AT}, the next change folds it into a fresh base (off the query path).
 */
final class Triggers {

  /** Overlay size at which an IXFR rebuilds the base table instead of growing the overlay. */
  static final int COMPACT_AT = 100_000;

  private static final long[] SALT = {0x243F6A8885A308D3L, 0x13198A2E03707344L, 0xA4093822299F31D0L,
      0x082EFA98EC4E6C89L};

  private final LongIntMap base;
  /** Changes since {@link #base}: the action, or {@link LongIntMap#ABSENT} for a deleted trigger. */
  private final Map<Long, Integer> overlay;
  /** The records of local-data triggers, by key: few in real feeds, so copied on change. */
  private final Map<Long, List<Record>> localData;
  /** How many triggers use each prefix length, per IP trigger kind and family: index [kind][v6][prefix]. */
  private final int[][][] prefixes;
  private final int records;
  private final int skipped;
  private final SOARecord soa;
  /** Derived from {@link #prefixes} once, as queries ask per packet: [kind][v6] = lengths, longest first. */
  private final int[][][] prefixLengths = new int[2][2][];
  private final boolean[] hasIp = new boolean[2];

  private Triggers(LongIntMap base, Map<Long, Integer> overlay, Map<Long, List<Record>> localData,
      int[][][] prefixes, int records, int skipped, SOARecord soa) {
    this.base = base;
    this.overlay = overlay;
    this.localData = localData;
    this.prefixes = prefixes;
    this.records = records;
    this.skipped = skipped;
    this.soa = soa;
    for (TriggerKind kind : new TriggerKind[] {TriggerKind.CLIENT_IP, TriggerKind.RESPONSE_IP}) {
      int k = ipIndex(kind);
      for (int family = 0; family < 2; family++) {
        int[] counts = prefixes[k][family];
        int n = 0;
        int[] lengths = new int[counts.length];
        for (int p = counts.length - 1; p > 0; p--) {
          if (counts[p] > 0) {
            lengths[n++] = p;
          }
        }
        prefixLengths[k][family] = Arrays.copyOf(lengths, n);
      }
      hasIp[k] = prefixLengths[k][0].length + prefixLengths[k][1].length > 0;
    }
  }

  private static int ipIndex(TriggerKind kind) {
    return kind == TriggerKind.CLIENT_IP ? 0 : 1;
  }

  /** No triggers and no serial: a source that has not delivered a zone yet. */
  static Triggers empty() {
    return new Builder(16).build(null);
  }

  /**
   * The table key of a trigger: its name or network hash, salted by kind so kinds never meet, with
   * the low bits clear for the action (see {@link LongIntMap}).
   */
  static long key(TriggerKind kind, long hash) {
    long h = (hash ^ SALT[kind.ordinal()]) * 0x9E3779B97F4A7C15L;
    return (h ^ (h >>> 31)) & ~LongIntMap.VALUE_BITS;
  }

  /** The action of the trigger with this key, or null. */
  PolicyAction action(long key) {
    Integer changed = overlay.isEmpty() ? null : overlay.get(key);
    int value = changed != null ? changed : base.get(key);
    return value == LongIntMap.ABSENT ? null : ACTIONS[value];
  }

  private static final PolicyAction[] ACTIONS = PolicyAction.values();

  List<Record> localData(long key) {
    return localData.getOrDefault(key, List.of());
  }

  /** Prefix lengths in use for this IP trigger kind and family, longest first. */
  int[] prefixLengths(TriggerKind kind, boolean v6) {
    return prefixLengths[ipIndex(kind)][v6 ? 1 : 0];
  }

  boolean hasIpTriggers(TriggerKind kind) {
    return hasIp[ipIndex(kind)];
  }

  /** Policy records held (triggers, plus every record of local data). */
  int records() {
    return records;
  }

  /** Records that are not policies a forwarder can apply (NSDNAME, NSIP, broken IP triggers). */
  int skipped() {
    return skipped;
  }

  /** The serial of the zone these triggers are, or -1 before the first complete copy. */
  long serial() {
    return soa == null ? -1 : soa.getSerial();
  }

  /** The zone's SOA (timers for refresh and retry), or null before the first complete copy. */
  SOARecord soa() {
    return soa;
  }

  /** Bytes of the trigger tables, roughly: the base arrays plus ~64 bytes per overlay entry. */
  long bytes() {
    return base.bytes() + overlay.size() * 64L;
  }

  /**
   * This zone after an IXFR step: {@code deleted} records removed, then {@code added} added. The
   * result shares the base table; the overlay, local data and counts are copies.
   */
  Triggers apply(List<Object> deleted, List<Object> added, SOARecord newSoa) {
    if (overlay.size() + deleted.size() + added.size() > COMPACT_AT) {
      Builder builder = compacted();
      deleted.forEach(builder::remove);
      added.forEach(builder::add);
      return builder.build(newSoa);
    }
    Map<Long, Integer> newOverlay = new HashMap<>(overlay);
    Change change = new Change(newOverlay);
    deleted.forEach(change::remove);
    added.forEach(change::add);
    return new Triggers(base, newOverlay, change.localData, change.prefixes, change.records, change.skipped, newSoa);
  }

  /** A builder holding exactly what this snapshot holds, in a fresh base table. */
  private Builder compacted() {
    Builder builder = new Builder(base.size() + overlay.size());
    base.forEachKey(k -> {
      if (!overlay.containsKey(k)) {
        builder.table.put(k, base.get(k));
      }
    });
    overlay.forEach((k, v) -> {
      if (v != LongIntMap.ABSENT) {
        builder.table.put(k, v);
      }
    });
    builder.localData.putAll(localData);
    builder.prefixes = copy(prefixes);
    builder.records = records;
    builder.skipped = skipped;
    return builder;
  }

  private static int[][][] copy(int[][][] counts) {
    int[][][] copy = new int[2][2][];
    for (int k = 0; k < 2; k++) {
      for (int f = 0; f < 2; f++) {
        copy[k][f] = counts[k][f].clone();
      }
    }
    return copy;
  }

  /** What adding and removing records shares between a fresh build and an IXFR step. */
  private abstract static class Mutation {
    Map<Long, List<Record>> localData = new HashMap<>();
    int[][][] prefixes = {{new int[33], new int[129]}, {new int[33], new int[129]}};
    int records;
    int skipped;

    abstract int get(long key);

    abstract void put(long key, int value);

    abstract void delete(long key);

    /** Adds a {@link PolicyRecord} or counts an {@link PolicyRecord.Other#SKIPPED}. */
    void add(Object read) {
      if (read == PolicyRecord.Other.SKIPPED) {
        skipped++;
        return;
      }
      if (!(read instanceof PolicyRecord p)) {
        return;
      }
      int existing = get(p.key());
      if (p.action() == PolicyAction.LOCAL_DATA) {
        List<Record> list = new ArrayList<>(localData.getOrDefault(p.key(), List.of()));
        if (list.contains(p.record())) {
          return;
        }
        list.add(p.record());
        localData.put(p.key(), List.copyOf(list));
      } else if (existing != LongIntMap.ABSENT && existing == p.action().ordinal()) {
        return;
      }
      if (existing == LongIntMap.ABSENT) {
        countPrefix(p, 1);
      }
      put(p.key(), p.action().ordinal());
      records++;
    }

    void remove(Object read) {
      if (read == PolicyRecord.Other.SKIPPED) {
        skipped = Math.max(0, skipped - 1);
        return;
      }
      if (!(read instanceof PolicyRecord p)) {
        return;
      }
      int existing = get(p.key());
      if (existing == LongIntMap.ABSENT) {
        return;
      }
      if (p.action() == PolicyAction.LOCAL_DATA) {
        List<Record> list = new ArrayList<>(localData.getOrDefault(p.key(), List.of()));
        if (!list.remove(p.record())) {
          return;
        }
        records--;
        if (!list.isEmpty()) {
          localData.put(p.key(), List.copyOf(list));
          return;
        }
        localData.remove(p.key());
      } else if (existing != p.action().ordinal()) {
        return;
      } else {
        records--;
      }
      delete(p.key());
      countPrefix(p, -1);
    }

    private void countPrefix(PolicyRecord p, int delta) {
      if (p.kind() == TriggerKind.CLIENT_IP || p.kind() == TriggerKind.RESPONSE_IP) {
        prefixes[p.kind() == TriggerKind.CLIENT_IP ? 0 : 1][p.v6() ? 1 : 0][p.prefix()] += delta;
      }
    }
  }

  /** Fills a new base table: a file, a download, an AXFR, or a compaction. */
  static final class Builder extends Mutation {
    private final LongIntMap table;

    Builder(int expected) {
      table = new LongIntMap(expected);
    }

    @Override
    int get(long key) {
      return table.get(key);
    }

    @Override
    void put(long key, int value) {
      table.put(key, value);
    }

    @Override
    void delete(long key) {
      table.remove(key);
    }

    Triggers build(SOARecord soa) {
      return new Triggers(table, Map.of(), Map.copyOf(localData), prefixes, records, skipped, soa);
    }
  }

  /** An IXFR step on top of this snapshot: writes go to a copy of the overlay. */
  private final class Change extends Mutation {
    private final Map<Long, Integer> newOverlay;

    Change(Map<Long, Integer> newOverlay) {
      this.newOverlay = newOverlay;
      this.localData = new HashMap<>(Triggers.this.localData);
      this.prefixes = copy(Triggers.this.prefixes);
      this.records = Triggers.this.records;
      this.skipped = Triggers.this.skipped;
    }

    @Override
    int get(long key) {
      Integer changed = newOverlay.get(key);
      return changed != null ? changed : base.get(key);
    }

    @Override
    void put(long key, int value) {
      newOverlay.put(key, value);
    }

    @Override
    void delete(long key) {
      newOverlay.put(key, LongIntMap.ABSENT);
    }
  }
}
