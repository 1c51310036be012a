package dev.dnsgate.wire;

/**
 * How a query reached us; it decides the size limit of the answer (only UDP is ever truncated) and
 * is the {@code transport} label of the metrics.
 */
public enum Transport {
  UDP,
  TCP,
  /** DNS over TLS (RFC 7858): TCP framing inside TLS. */
  DOT,
  /** DNS over HTTPS (RFC 8484), or plain HTTP behind a trusted reverse proxy. */
  DOH
}
