package dev.dnsgate.upstream;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** Why one upstream could not answer one query. Stack traces carry nothing useful here. */
public final class UpstreamException extends RuntimeException {

  /** The failure classes that health tracking, retries and metrics tell apart. */
  public enum Kind {
    /** No answer within the attempt's time. */
    TIMEOUT,
    /** TCP connect failed: refused, unreachable. */
    CONNECT,
    /** TLS failed: untrusted chain, wrong name, expired certificate, handshake error. */
    TLS,
    /** The certificate verified but its public key is not in the configured pin set. */
    PIN_MISMATCH,
    /** The connection closed while the query was outstanding. */
    CLOSED,
    /** Every connection of the pool is at its in-flight cap. */
    SATURATED
  }

  private final Kind kind;

  public UpstreamException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The failure behind a future's wrapping ({@code CompletionException}), as an upstream failure. */
  public static UpstreamException of(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof UpstreamException known) {
      return known;
    }
    if (cause instanceof TimeoutException) { // e.g. Vert.x's pool, when no stream came in time
      return new UpstreamException(Kind.TIMEOUT, String.valueOf(cause.getMessage()));
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof javax.net.ssl.SSLException) {
        return new UpstreamException(Kind.TLS, String.valueOf(c.getMessage()));
      }
    }
    return new UpstreamException(Kind.CONNECT, String.valueOf(cause.getMessage()));
  }
}
