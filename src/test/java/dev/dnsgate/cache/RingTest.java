package dev.dnsgate.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class RingTest {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void recordsAcrossTheWholeRingAllocateNothing() {
    assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
    Ring ring = new Ring(4 << 20, 1 << 20);
    int record = 300;
    ring.putInt(ring.append(record), 0, record); // the first use links the VarHandles: not the ring's doing
    long before = THREADS.getCurrentThreadAllocatedBytes();
    long appended = 0;
    while (ring.fits(record)) {
      long at = ring.append(record);
      ring.putInt(at, 0, record);
      appended += record;
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertTrue(appended > 3 << 20, "appended " + appended);
    // the arrays came with the ring: allocated as the head reached them, these were 4 MB that a young
    // collection then had to copy while clients waited
    assertTrue(allocated < 64 << 10, "allocated " + allocated + " bytes while appending");
  }
}
