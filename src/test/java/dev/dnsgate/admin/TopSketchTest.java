package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Space-Saving: bounded keys, heavy hitters found, counts within the stated error. */
class TopSketchTest {

  @Test
  void exactWhileFewerKeysThanCapacity() {
    TopSketch sketch = new TopSketch(10);
    for (String k : List.of("a", "b", "a", "c", "a", "b")) {
      sketch.offer(k);
    }
    Map<String, Long> merged = new HashMap<>();
    sketch.addTo(merged);

    assertEquals(Map.of("a", 3L, "b", 2L, "c", 1L), merged);
    assertEquals(0, sketch.error());
  }

  @Test
  void heavyHittersSurviveAFloodOfUniqueNamesWithinTheErrorBound() {
    int capacity = 100;
    TopSketch sketch = new TopSketch(capacity);
    Map<String, Long> truth = new HashMap<>();
    Random random = new Random(7);
    long n = 0;
    for (int i = 0; i < 200_000; i++) {
      String key = random.nextInt(10) < 3 ? "hot" + random.nextInt(5) : "unique" + i;
      sketch.offer(key);
      truth.merge(key, 1L, Long::sum);
      n++;
    }
    Map<String, Long> estimated = new HashMap<>();
    sketch.addTo(estimated);

    assertEquals(capacity, estimated.size(), "memory stays at the capacity");
    long error = sketch.error();
    assertTrue(error <= n / capacity, "error " + error + " within n/k = " + n / capacity);
    List<Map.Entry<String, Long>> top = TopSketch.top(estimated, 5);
    for (Map.Entry<String, Long> e : top) {
      assertTrue(e.getKey().startsWith("hot"), "top 5 are the hot names: " + top);
      long real = truth.get(e.getKey());
      assertTrue(e.getValue() >= real && e.getValue() <= real + error, e + " vs true " + real + " +" + error);
    }
  }
}
