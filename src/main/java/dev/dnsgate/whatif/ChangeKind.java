package dev.dnsgate.whatif;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a query's answer changes between the current and the candidate rules; the names are the CLI's. */
public enum ChangeKind {
  NEWLY_BLOCKED("newly-blocked", "blocked now, answered before"),
  UNBLOCKED("unblocked", "blocked before, not any more"),
  NOW_LOCAL("now-local", "forwarded before, answered locally now"),
  NO_LONGER_LOCAL("no-longer-local", "answered locally before, forwarded now"),
  LOCAL_CHANGED("local-changed", "a different local answer"),
  REWRITE_CHANGED("rewrite-changed", "forwarded under another name or type"),
  FORWARD_GROUP("forward-group", "forwarded to another upstream group"),
  BLOCK_RESPONSE("block-response", "blocked with another response");

  private final String label;
  private final String meaning;

  ChangeKind(String label, String meaning) {
    this.label = label;
    this.meaning = meaning;
  }

  public String label() {
    return label;
  }

  public String meaning() {
    return meaning;
  }

  /** @throws IllegalArgumentException naming the known labels */
  public static ChangeKind ofLabel(String label) {
    for (ChangeKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown kind of change '" + label + "' (known: "
        + Arrays.stream(values()).map(ChangeKind::label).collect(Collectors.joining(", ")) + ")");
  }
}
