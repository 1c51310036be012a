package dev.dnsgate.upstream;

import dev.dnsgate.wire.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One configured DoT server: where to connect and which name its certificate must carry.
 *
 * @param address IP and port; the IP is given literally, so reaching the resolver needs no DNS
 * @param tlsName the name verified against the certificate and sent as SNI (RFC 8310 section 8.1)
 */
public record UpstreamServer(InetSocketAddress address, String tlsName) {

  static final int DOT_PORT = 853;

  /** The name used in logs, health and metrics. */
  public String label() {
    return tlsName + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /**
   * Parses {@code IP[:PORT]#TLS-NAME}; IPv6 addresses go in brackets ({@code [2606:4700::1111]:853}).
   *
   * @throws IllegalArgumentException naming what is wrong with the entry
   */
  public static UpstreamServer parse(String entry) {
    String text = entry.trim();
    int hash = text.indexOf('#');
    if (hash < 0 || hash == text.length() - 1) {
      throw new IllegalArgumentException(
          "'" + entry + "' has no TLS name: write IP[:PORT]#TLS-NAME, e.g. 1.1.1.1:853#cloudflare-dns.com");
    }
    String hostPort = text.substring(0, hash);
    String tlsName = text.substring(hash + 1);
    String host = hostPort;
    int port = DOT_PORT;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + entry + "': missing ']' after the IPv6 address");
      }
      host = hostPort.substring(1, close);
      if (hostPort.length() > close + 1) {
        port = port(entry, hostPort.substring(close + 1));
      }
    } else if (hostPort.indexOf(':') == hostPort.lastIndexOf(':') && hostPort.indexOf(':') > 0) {
      host = hostPort.substring(0, hostPort.indexOf(':'));
      port = port(entry, hostPort.substring(hostPort.indexOf(':')));
    }
    return new UpstreamServer(new InetSocketAddress(literalIp(entry, host), port), tlsName);
  }

  private static int port(String entry, String colonPort) {
    try {
      int port = Integer.parseInt(colonPort.substring(1));
      if (colonPort.charAt(0) == ':' && port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + entry + "': '" + colonPort + "' is not a port");
  }

  private static InetAddress literalIp(String entry, String host) {
    return IpLiteral.parse(host).orElseThrow(
        () -> new IllegalArgumentException("'" + entry + "': '" + host + "' is not an IP address"));
  }
}
