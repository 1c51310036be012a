package dev.dnsgate.resolve;

import dev.dnsgate.wire.QueryContext;

/**
 * Told about every packet the pipeline finishes with: the metrics and the query log are observers,
 * and so is anything else that watches traffic (statistics, a recent-queries view). Observers are
 * CDI beans found by the pipeline, so the pipeline knows none of them, and none of them is on the
 * pipeline's side of the dependency graph.
 *
 * <p>Called on the event loop that answers the query, once per packet: an observer must be cheap and
 * must never block (hand work to a thread of its own, as the query log does).
 */
public interface QueryObserver {

  /** Why a packet got no answer at all. */
  enum Drop {
    /** Shorter than a header, or a response: nothing to answer. */
    UNREADABLE("unreadable"),
    /** From a client outside the access list, with {@code dnsgate.access.denied: drop}. */
    DENIED("denied"),
    /** Over the client's rate, with {@code dnsgate.access.rate-limit.action: drop}. */
    RATE_LIMITED("rate-limited"),
    /** A policy zone's rpz-drop action. */
    POLICY("policy");

    private final String label;

    Drop(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * An answer about to be sent.
   *
   * @param nanos from the packet's arrival to now
   */
  void answered(QueryContext ctx, Answer answer, long nanos);

  /** A packet that gets no answer. */
  default void dropped(Drop reason) {}

  /** A query with a readable header but a broken or unsupported body: FORMERR, NOTIMP or BADVERS sent. */
  default void malformed() {}

  /** At shutdown, once the listeners have drained: nothing more will be observed (flush, stop threads). */
  default void close() {}
}
