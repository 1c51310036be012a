package dev.dnsgate.upstream;

import java.util.concurrent.CompletableFuture;

/**
 * One server of an {@link UpstreamGroup}, whatever carries the queries: DNS over TLS ({@link
 * DotUpstream}) or DNS over HTTPS ({@link DohUpstream}). The group orders servers by health and
 * latency and fails over between them without knowing which is which.
 */
public interface GroupServer {

  /** Sends one query; completes with a matching answer or fails with an {@link UpstreamException}. */
  CompletableFuture<UpstreamAnswer> exchange(OutboundQuery query, long timeoutMs);

  /** The name used in logs, health and metrics. */
  String label();

  boolean isUp();

  /** True once the server has answered anything (a query or a probe): until then "up" is only a guess. */
  boolean hasAnswered();

  /**
   * Sends one probe if the server has not answered yet and none is outstanding, so that readiness
   * learns the truth without waiting for client traffic (which readiness itself may be holding back).
   */
  void probeIfSilent();

  /** Moving average of answer latency in milliseconds; NaN before the first answer. */
  double latencyMillis();

  String lastError();

  UpstreamStats stats();

  int openConnections();

  /** Queries sent and not yet answered. */
  int inFlight();

  /** Opens a connection ahead of the first query, so that it does not pay for the handshake. */
  void connect();

  void close();
}
