package dev.dnsgate.cache;

/** The one source of time for TTLs and expiry, so tests can move time without sleeping. */
@FunctionalInterface
public interface NanoClock {

  long nanos();

  NanoClock SYSTEM = System::nanoTime;
}
