package dev.dnsgate.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.upstream.Validation;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The store under the answer cache: records in rings, S3-FIFO eviction, both bounds, and bytes that
 * come back as they went in however often the rings have turned. The wire bytes here are not DNS:
 * the store does not read them, and a number in them says which key they were stored for.
 */
class AnswerStoreTest {

  static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  long now = 1_000_000_000L;

  static CacheKey key(String label) {
    return new CacheKey(Name.fromConstantString(label + ".example.test."), Type.A, DClass.IN, false, false, "default");
  }

  /** An entry whose bytes carry {@code id} (and are {@code size} long), fresh for a minute. */
  CacheEntry entry(int id, int size) {
    byte[] wire = ByteBuffer.allocate(size).putInt(id).array();
    return new CacheEntry(wire, new int[] {0}, now, 60, now + 60 * SECOND, now + 60 * SECOND, 0, true,
        Validation.UNCHECKED, 0);
  }

  static int idOf(CacheEntry entry) {
    return ByteBuffer.wrap(entry.wire).getInt();
  }

  @Test
  void namesAskedAgainSurviveAFloodOfNamesAskedOnce() {
    AnswerStore store = new AnswerStore(1000, 1 << 20, () -> now);
    for (int i = 0; i < 100; i++) {
      store.put(key("hot" + i), entry(i, 100));
      assertNotNull(store.fresh(key("hot" + i)));
    }

    for (int i = 0; i < 50_000; i++) {
      store.put(key("flood" + i), entry(i, 100));
    }

    for (int i = 0; i < 100; i++) {
      CacheEntry hot = store.fresh(key("hot" + i));
      assertNotNull(hot, "hot" + i + " was pushed out by names asked once");
      assertEquals(i, idOf(hot));
    }
    assertTrue(store.size() <= 1000, "size " + store.size());
  }

  @Test
  void aCacheNotYetFullKeepsAnswersAskedOnlyOnce() {
    AnswerStore store = new AnswerStore(1000, 1 << 20, () -> now);
    for (int i = 0; i < 900; i++) {
      store.put(key("once" + i), entry(i, 400)); // 450 kB: four times the small ring
    }

    assertEquals(900, store.size());
    for (int i = 0; i < 900; i++) {
      assertEquals(i, idOf(store.get(key("once" + i))));
    }
  }

  @Test
  void entriesComeBackAsStoredAfterTheRingsHaveTurnedManyTimes() {
    AnswerStore store = new AnswerStore(1000, 64 * 1024, () -> now);
    List<Integer> sizes = List.of(60, 333, 1200, 90, 2047, 501);
    for (int i = 0; i < 20_000; i++) {
      store.put(key("n" + i), entry(i, sizes.get(i % sizes.size())));
      if (i % 3 == 0) {
        store.fresh(key("n" + (i - 1))); // hit while in the small ring: these move to the main one
      }
    }

    int found = 0;
    for (int i = 0; i < 20_000; i++) {
      CacheEntry entry = store.get(key("n" + i));
      if (entry != null) {
        found++;
        assertEquals(i, idOf(entry), "n" + i);
        assertEquals(sizes.get(i % sizes.size()), entry.wire.length);
      }
    }
    assertTrue(found > 20, "entries kept in both rings: " + found);
    assertEquals(found, store.size());
    assertTrue(store.evictions() >= 20_000 - found, "evictions " + store.evictions());
  }

  @Test
  void bytesBoundTheEntriesKept() {
    AnswerStore store = new AnswerStore(100_000, 64 * 1024, () -> now);
    for (int i = 0; i < 1000; i++) {
      store.put(key("n" + i), entry(i, 1000));
    }
    assertTrue(store.size() * 1000 <= 64 * 1024, "size " + store.size());
    assertNotNull(store.get(key("n999")), "the newest is kept");
  }

  @Test
  void anEntryTooLargeForTheStoreIsNotKeptAndTheOthersStay() {
    AnswerStore store = new AnswerStore(1000, 64 * 1024, () -> now);
    store.put(key("small"), entry(1, 100));

    store.put(key("huge"), entry(2, 60_000));

    assertNull(store.get(key("huge")));
    assertEquals(1, idOf(store.get(key("small"))));
    assertEquals(0, store.puts() - 1, "the huge one is not counted as stored");
  }

  @Test
  void answersMovedIntoAFullMainRingKeepTheirOwnBytes() {
    AnswerStore store = new AnswerStore(1000, 10_000, () -> now); // one segment: small ring 1 kB, main 9 kB
    for (int i = 0; i < 200; i++) {
      store.put(key("k" + i), entry(i, 100 + (i % 7) * 10));
      for (int j = Math.max(0, i - 60); j <= i; j++) {
        store.fresh(key("k" + j)); // all hit again: entries move to the main ring while others go round it
      }
    }

    int found = 0;
    for (int i = 0; i < 200; i++) {
      CacheEntry entry = store.get(key("k" + i));
      if (entry != null) {
        found++;
        assertEquals(i, idOf(entry), "k" + i);
      }
    }
    assertEquals(store.size(), found, "every entry counted can be found");
  }

  @Test
  void entryBoundsBeyondWhatTheBytesCanHoldAreCappedByTheBytes() {
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      AnswerStore store = new AnswerStore(Long.MAX_VALUE, 1 << 20, () -> now);
      for (int i = 0; i < 5000; i++) {
        store.put(key("n" + i), entry(i, 50));
      }
      assertEquals(4999, idOf(store.get(key("n4999"))));
      assertTrue(store.size() * Segment.SMALLEST_RECORD <= 1 << 20, "size " + store.size());
    });
  }

  @Test
  void anAnswerTooLongForTwoLengthBytesIsNotKeptAndTheOldOneGoes() {
    AnswerStore store = new AnswerStore(100_000, 64L << 20, () -> now);
    store.put(key("big"), entry(1, 100));

    store.put(key("big"), entry(2, 70_000));

    assertNull(store.get(key("big")), "neither the new answer, cut, nor the old one");
    assertEquals(0, store.size());
  }

  @Test
  void expiredEntriesLeaveABusyStoreUnaskedAndAreNotCountedAsEvictions() {
    AnswerStore store = new AnswerStore(1000, 1 << 20, () -> now);
    for (int i = 0; i < 100; i++) {
      store.put(key("old" + i), entry(i, 100));
    }
    now += 61 * SECOND;

    for (int i = 0; i < 300; i++) { // 8 index slots looked at per store: the 2048 slots all seen
      store.put(key("new" + i), entry(i, 100));
    }

    assertEquals(300, store.size());
    assertEquals(0, store.evictions());
  }

  @Test
  void aNewAnswerReplacesTheOldOneForItsKey() {
    AnswerStore store = new AnswerStore(1000, 1 << 20, () -> now);
    store.put(key("a"), entry(1, 100));
    store.put(key("a"), entry(2, 200));

    assertEquals(2, idOf(store.get(key("a"))));
    assertEquals(200, store.get(key("a")).wire.length);
    assertEquals(1, store.size());
  }

  @Test
  void hitsAreCountedAndAPrefetchIsClaimedOnce() {
    AnswerStore store = new AnswerStore(1000, 1 << 20, () -> now);
    store.put(key("a"), entry(1, 100));

    assertEquals(1, store.fresh(key("a")).hits);
    assertEquals(2, store.fresh(key("a")).hits);
    assertNull(store.fresh(key("b")));
    assertEquals(2, store.hits());
    assertEquals(1, store.misses());

    assertTrue(store.startPrefetch(key("a")));
    assertFalse(store.startPrefetch(key("a")), "one prefetch at a time");
    store.prefetchDone(key("a"));
    assertTrue(store.startPrefetch(key("a")));
    assertFalse(store.startPrefetch(key("b")), "no entry, nothing to prefetch");
  }

  @Test
  void validationAndTimesComeBackAsStored() {
    AnswerStore store = new AnswerStore(1000, 1 << 20, () -> now);
    Validation bogus = new Validation(Validation.Status.BOGUS, "example.test.", "signature expired: é");
    byte[] wire = {9, 8, 7, 6, 5, 4, 3, 2};
    store.put(key("v"), new CacheEntry(wire, new int[] {2, 300}, 11, 22, 33 + now, 44 + now, 4095, false, bogus, 0));

    CacheEntry read = store.get(key("v"));

    assertArrayEquals(wire, read.wire);
    assertArrayEquals(new int[] {2, 300}, read.ttlOffsets);
    assertEquals(11, read.storedNanos);
    assertEquals(22, read.ttlSeconds);
    assertEquals(33 + now, read.freshUntil);
    assertEquals(44 + now, read.keepUntil);
    assertEquals(4095, read.rcode);
    assertFalse(read.plain);
    assertEquals(bogus, read.validation);
  }

  @Test
  void expiredEntriesAreGoneAndCleanUpCountsThemOut() {
    AnswerStore store = new AnswerStore(1000, 1 << 20, () -> now);
    for (int i = 0; i < 10; i++) {
      store.put(key("n" + i), entry(i, 100));
    }
    now += 61 * SECOND;
    store.put(key("late"), entry(99, 100));

    assertNull(store.get(key("n3")));
    store.cleanUp();
    assertEquals(1, store.size());
    assertEquals(99, idOf(store.get(key("late"))));
  }

  /**
   * Random stores, hits, flushes and clock steps against a map of what was stored last: whatever the
   * store returns is the latest answer stored for that key, not expired, and the bounds hold.
   */
  @Test
  void randomOperationsNeverReturnAnotherKeysOrAnOldOrExpiredAnswer() {
    Random random = new Random(15);
    for (int run = 0; run < 20; run++) {
      AnswerStore store = new AnswerStore(50 + random.nextInt(500), 4096 + random.nextInt(60_000), () -> now);
      Map<String, int[]> latest = new HashMap<>(); // name -> {id, size} of the answer stored last
      int nextId = 0;
      for (int op = 0; op < 20_000; op++) {
        String name = "k" + random.nextInt(300);
        int choice = random.nextInt(100);
        if (choice < 45) {
          int size = 20 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 300);
          long ttl = 1 + random.nextInt(120);
          byte[] wire = ByteBuffer.allocate(size).putInt(nextId).array();
          store.put(key(name), new CacheEntry(wire, new int[] {0}, now, ttl, now + ttl * SECOND, now + ttl * SECOND,
              0, true, Validation.UNCHECKED, 0));
          latest.put(name, new int[] {nextId++, size});
        } else if (choice < 90) {
          CacheEntry entry = random.nextBoolean() ? store.fresh(key(name)) : store.get(key(name));
          if (entry != null) {
            int[] expected = latest.get(name);
            assertNotNull(expected, name + " was flushed or never stored");
            assertEquals(expected[0], idOf(entry), name);
            assertEquals(expected[1], entry.wire.length, name);
            assertTrue(now < entry.keepUntil, name + " expired");
          }
        } else if (choice < 93) {
          store.remove(key(name).name());
          latest.remove(name);
        } else if (choice < 94) {
          store.cleanUp();
        } else {
          now += random.nextInt(5) * SECOND;
        }
      }
      assertTrue(store.size() <= 550, "size " + store.size());
    }
  }

  @Test
  void concurrentReadersAndWritersAlwaysGetTheBytesOfTheirOwnKey() throws Exception {
    AnswerStore store = new AnswerStore(50_000, 32L << 20, () -> now);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> checked = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        checked.add(pool.submit(() -> {
          int reads = 0;
          for (int i = 0; i < 100_000; i++) {
            int id = (i * 31 + thread * 7) % 60_000;
            if (i % 3 == thread % 3) {
              store.put(key("k" + id), entry(id, 40 + id % 400));
            } else {
              CacheEntry entry = store.fresh(key("k" + id));
              if (entry != null) {
                assertEquals(id, idOf(entry));
                assertEquals(40 + id % 400, entry.wire.length);
                reads++;
              }
            }
          }
          return reads;
        }));
      }
      int reads = 0;
      for (Future<Integer> f : checked) {
        reads += f.get(60, TimeUnit.SECONDS);
      }
      assertTrue(reads > 0, "some reads found entries");
      assertTrue(store.size() <= 50_000);
    } finally {
      pool.shutdownNow();
    }
  }
}
