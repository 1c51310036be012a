package dev.dnsgate.rules.rpz;

/** Where one policy zone's triggers come from, and what it knows of its own state. */
interface RpzFeed {

  /** The triggers that serve now: always complete (a failed update leaves the previous ones). */
  Triggers triggers();

  FeedStatus status();

  /** Stops background work (transfers, timers); the triggers keep answering until dropped. */
  default void stop() {}
}
