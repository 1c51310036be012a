package dev.dnsgate.testing;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/** Reads dnsgate's meters as /q/metrics shows them, so that tests assert on what operators see. */
public final class Meters {

  private Meters() {}

  /** The sum of every meter of that name, over all its tags (a counter's count, a gauge's value). */
  public static long value(MeterRegistry registry, String name) {
    double sum = 0;
    for (Meter meter : registry.find(name).meters()) {
      for (Measurement measurement : meter.measure()) {
        sum += measurement.getValue();
      }
    }
    return Math.round(sum);
  }
}
