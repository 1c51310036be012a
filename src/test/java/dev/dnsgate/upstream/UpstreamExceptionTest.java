package dev.dnsgate.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** What kind of failure each error an upstream attempt can end with counts as (meters, health). */
class UpstreamExceptionTest {

  @Test
  void noStreamInTimeFromVertxsPoolIsATimeout() {
    assertEquals(UpstreamException.Kind.TIMEOUT,
        UpstreamException.of(new CompletionException(new NoStackTraceTimeoutException("no connection in time"))).kind());
  }

  @Test
  void aRefusedConnectionIsAConnectFailureAndABadHandshakeATlsOne() {
    assertEquals(UpstreamException.Kind.CONNECT, UpstreamException.of(new ConnectException("refused")).kind());
    assertEquals(UpstreamException.Kind.TLS, UpstreamException.of(new SSLHandshakeException("bad certificate")).kind());
  }
}
