package dev.dnsgate.listen;

import dev.dnsgate.rules.match.Cidr;
import dev.dnsgate.wire.IpLiteral;
import io.vertx.core.MultiMap;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client address of a DoH request that came through a reverse proxy. The Forwarded (RFC 7239)
 * or X-Forwarded-For header is believed only when the peer is a configured trusted proxy, and then
 * read from the right: each hop appends the address it saw, so the rightmost address that is not a
 * trusted proxy is the first one no trusted party can have been lied to about. A value that is not
 * an IP address (obfuscated, "unknown", garbage) ends the walk at the peer: no guess is made.
 */
final class ForwardedClient {

  private final List<Cidr> trusted;

  ForwardedClient(List<Cidr> trusted) {
    this.trusted = trusted;
  }

  boolean trusts(InetAddress peer) {
    return !trusted.isEmpty() && Cidr.anyContains(trusted, peer);
  }

  InetAddress client(InetAddress peer, MultiMap headers) {
    if (!trusts(peer)) {
      return peer;
    }
    List<String> hops = hops(headers);
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> hop = address(hops.get(i));
      if (hop.isEmpty()) {
        return peer;
      }
      if (i == 0 || !trusts(hop.get())) {
        return hop.get();
      }
    }
    return peer;
  }

  /** The addresses of the hops, first client first; Forwarded wins over X-Forwarded-For. */
  private static List<String> hops(MultiMap headers) {
    List<String> hops = new ArrayList<>();
    List<String> forwarded = headers.getAll("Forwarded");
    if (!forwarded.isEmpty()) {
      for (String header : forwarded) {
        for (String element : header.split(",")) {
          String node = null;
          for (String pair : element.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
              node = pair.substring(eq + 1).trim();
            }
          }
          hops.add(node == null ? "" : node);
        }
      }
      return hops;
    }
    for (String header : headers.getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        hops.add(hop.trim());
      }
    }
    return hops;
  }

  /** {@code 192.0.2.1}, {@code "192.0.2.1:4711"}, {@code "[2001:db8::1]:4711"}, {@code 2001:db8::1}. */
  private static Optional<InetAddress> address(String node) {
    String text = node.startsWith("\"") && node.endsWith("\"") && node.length() > 1
        ? node.substring(1, node.length() - 1) : node;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      return close < 0 ? Optional.empty() : IpLiteral.parse(text.substring(1, close));
    }
    int colon = text.indexOf(':');
    if (colon > 0 && colon == text.lastIndexOf(':')) {
      text = text.substring(0, colon); // IPv4 with a port
    }
    return text.isEmpty() ? Optional.empty() : IpLiteral.parse(text);
  }
}
