package dev.dnsgate.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IPv4 and IPv6 addresses written as text (configuration, rule files, client addresses). The
 * pattern check comes first because InetAddress.getByName would look a name up in DNS: an
 * address typed as a name must be an error, never a query.
 */
public final class IpLiteral {

  private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private IpLiteral() {}

  /** The address, or empty when {@code text} is not an IP literal. */
  public static Optional<InetAddress> parse(String text) {
    if (!LITERAL.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
