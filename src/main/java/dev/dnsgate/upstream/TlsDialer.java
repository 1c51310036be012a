package dev.dnsgate.upstream;

import dev.dnsgate.upstream.UpstreamException.Kind;
import io.vertx.core.Future;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Opens verified TLS connections to one server: the chain and the TLS name are checked by the
 * client's options (see UpstreamGroup.clientOptions), the SPKI pins here. A connection that fails
 * either is closed and never carries a query.
 */
final class TlsDialer {

  private final NetClient client;
  private final UpstreamServer server;
  private final SpkiPins pins;

  TlsDialer(NetClient client, UpstreamServer server, SpkiPins pins) {
    this.client = client;
    this.server = server;
    this.pins = pins;
  }

  /** Connects; call it on the context the connection is to live on. */
  Future<NetSocket> dial() {
    return client.connect(verifiedAddress(server), server.tlsName()).compose(this::checkPins);
  }

  /**
   * The JDK checks the certificate against the SNI name but, when that fails, falls back to the host
   * the engine was created for. Giving the socket address the TLS name as its host (with the literal
   * IP, so nothing is looked up) makes both the same: the certificate must carry the TLS name,
   * whatever IP addresses it also lists (RFC 8310 section 8.1).
   */
  private static SocketAddress verifiedAddress(UpstreamServer server) {
    try {
      InetAddress ip = server.address().getAddress();
      InetAddress named = InetAddress.getByAddress(server.tlsName(), ip.getAddress());
      return SocketAddress.inetSocketAddress(new InetSocketAddress(named, server.address().getPort()));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a literal IP cannot be unknown", e);
    }
  }

  private Future<NetSocket> checkPins(NetSocket socket) {
    if (pins.isEmpty()) {
      return Future.succeededFuture(socket);
    }
    try {
      if (pins.matchesAny(socket.peerCertificates())) {
        return Future.succeededFuture(socket);
      }
    } catch (SSLPeerUnverifiedException e) {
      // falls through to the mismatch: an unverified peer matches no pin
    }
    socket.close();
    return Future.failedFuture(
        new UpstreamException(Kind.PIN_MISMATCH, server.label() + ": certificate key not in the pin set"));
  }
}
