package dev.dnsgate.rules.rpz;

import java.time.Instant;

/** A policy zone read once from a file (or a downloaded copy): a change to it makes a new feed. */
final class StaticFeed implements RpzFeed {

  private final String zone;
  private final String source;
  private final Triggers triggers;
  private final Instant loadedAt = Instant.now();
  private final Instant nextRefresh;
  private final String lastError;

  /**
   * @param nextRefresh when a URL's copy is fetched again, or null for a file
   * @param lastError why the newest download is not the copy that serves, or empty
   */
  StaticFeed(String zone, String source, Triggers triggers, Instant nextRefresh, String lastError) {
    this.zone = zone;
    this.source = source;
    this.triggers = triggers;
    this.nextRefresh = nextRefresh;
    this.lastError = lastError;
  }

  @Override
  public Triggers triggers() {
    return triggers;
  }

  @Override
  public FeedStatus status() {
    return new FeedStatus(zone, source, triggers.serial(), loadedAt, nextRefresh, triggers.records(),
        triggers.skipped(), triggers.bytes(), lastError);
  }
}
