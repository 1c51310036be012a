package dev.dnsgate.ops;

import dev.dnsgate.upstream.GroupServer;

/** An upstream's state in words, as readiness and the dashboard show it. */
public final class UpstreamState {

  private UpstreamState() {}

  /** "up" only once it has answered: on a fresh start nothing has shown that it works yet. */
  public static String of(GroupServer upstream) {
    if (!upstream.isUp()) {
      return "down";
    }
    return upstream.hasAnswered() ? "up" : "no answer yet";
  }

  public static boolean up(GroupServer upstream) {
    return upstream.isUp() && upstream.hasAnswered();
  }
}
