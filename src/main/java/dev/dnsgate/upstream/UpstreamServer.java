package dev.dnsgate.upstream;

import dev.dnsgate.wire.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One configured server: where to connect, which name its certificate must carry, and for DNS over
 * HTTPS the path of its endpoint.
 *
 * @param address IP and port; the IP is given literally, so reaching the resolver needs no DNS
 * @param tlsName the name verified against the certificate and sent as SNI (RFC 8310 section 8.1),
 *     and for DoH also the HTTP authority
 * @param dohPath the DoH endpoint's path ({@code /dns-query}), or null for DNS over TLS
 */
public record UpstreamServer(InetSocketAddress address, String tlsName, String dohPath) {

  static final int DOT_PORT = 853;
  static final int HTTPS_PORT = 443;

  public UpstreamServer(InetSocketAddress address, String tlsName) {
    this(address, tlsName, null);
  }

  public boolean isDoh() {
    return dohPath != null;
  }

  /** The name used in logs, health and metrics. */
  public String label() {
    String at = tlsName + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    return isDoh() ? "https://" + at + dohPath : at;
  }

  /**
   * Parses {@code IP[:PORT]#TLS-NAME} (DoT) or {@code https://TLS-NAME[:PORT]/PATH#IP} (DoH); IPv6
   * addresses go in brackets ({@code [2606:4700::1111]:853}, {@code https://dns.google/dns-query#[2001:4860:4860::8888]}).
   *
   * @throws IllegalArgumentException naming what is wrong with the entry
   */
  public static UpstreamServer parse(String entry) {
    String text = entry.trim();
    if (text.regionMatches(true, 0, "https://", 0, 8)) {
      return parseDoh(entry, text);
    }
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

  /** The IP after '#' is required: reaching the upstream must never need DNS (which may be ourselves). */
  private static UpstreamServer parseDoh(String entry, String text) {
    int hash = text.lastIndexOf('#');
    if (hash < 0 || hash == text.length() - 1) {
      throw new IllegalArgumentException("'" + entry + "' has no IP address: write https://NAME/PATH#IP, e.g."
          + " https://dns.google/dns-query#8.8.8.8, so that reaching it needs no DNS");
    }
    String ip = text.substring(hash + 1);
    if (ip.startsWith("[") && ip.endsWith("]")) {
      ip = ip.substring(1, ip.length() - 1);
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(text.substring(0, hash));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("'" + entry + "' is not a URL: " + e.getMessage());
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("'" + entry + "': write https://NAME[:PORT]/PATH#IP (no user, no query)");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/dns-query" : uri.getRawPath();
    int port = uri.getPort() < 0 ? HTTPS_PORT : uri.getPort();
    return new UpstreamServer(new InetSocketAddress(literalIp(entry, ip), port), uri.getHost(), path);
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
