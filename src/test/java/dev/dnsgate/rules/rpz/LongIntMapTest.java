package dev.dnsgate.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The trigger table agrees with a HashMap through puts, overwrites and deletes (backward shifts). */
class LongIntMapTest {

  @Test
  void agreesWithAHashMapThroughPutsOverwritesAndDeletes() {
    Random random = new Random(19);
    LongIntMap map = new LongIntMap(16);
    Map<Long, Integer> expected = new HashMap<>();
    long[] keys = new long[5000];
    for (int i = 0; i < keys.length; i++) {
      // a few keys share their low 16 bits, so probe runs get long and deletes must shift
      long raw = i % 7 == 0 ? ((long) random.nextInt(64) << 40) : random.nextLong();
      keys[i] = raw & ~LongIntMap.VALUE_BITS;
    }
    keys[0] = 0; // the key that needs the stand-in
    for (int step = 0; step < 60_000; step++) {
      long key = keys[random.nextInt(keys.length)];
      if (random.nextInt(3) == 0) {
        map.remove(key);
        expected.remove(key);
      } else {
        int value = random.nextInt(8);
        map.put(key, value);
        expected.put(key, value);
      }
    }
    for (long key : keys) {
      assertEquals(expected.getOrDefault(key, LongIntMap.ABSENT), map.get(key), "key " + key);
    }
    assertEquals(expected.size(), map.size());
    Set<Long> listed = new HashSet<>();
    map.forEachKey(listed::add);
    assertEquals(expected.keySet(), listed);
  }
}
