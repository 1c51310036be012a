package dev.dnsgate.ops;

import dev.dnsgate.rules.rpz.FeedStatus;
import io.vertx.core.json.JsonObject;

/** A policy zone's state as health data (one line) and as explain JSON. */
final class PolicyZoneText {

  private PolicyZoneText() {}

  static String of(FeedStatus s) {
    return s.source() + " serial=" + s.serial() + " records=" + s.records()
        + (s.skipped() > 0 ? " skipped=" + s.skipped() : "")
        + " last-update=" + (s.lastUpdate() == null ? "never" : s.lastUpdate())
        + " next-refresh=" + (s.nextRefresh() == null ? "on-edit" : s.nextRefresh())
        + (s.lastError().isEmpty() ? "" : " last-error=" + s.lastError());
  }

  static JsonObject json(FeedStatus s) {
    return new JsonObject()
        .put("zone", s.zone())
        .put("source", s.source())
        .put("serial", s.serial())
        .put("records", s.records())
        .put("skipped", s.skipped())
        .put("bytes", s.bytes())
        .put("last-update", s.lastUpdate() == null ? null : s.lastUpdate().toString())
        .put("next-refresh", s.nextRefresh() == null ? null : s.nextRefresh().toString())
        .put("last-error", s.lastError().isEmpty() ? null : s.lastError());
  }
}
