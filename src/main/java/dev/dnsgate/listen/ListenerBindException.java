package dev.dnsgate.listen;

/** A listener could not be bound; the message is the whole story, so no stack trace is kept. */
public final class ListenerBindException extends RuntimeException {

  public ListenerBindException(String message) {
    super(message, null, false, false);
  }
}
