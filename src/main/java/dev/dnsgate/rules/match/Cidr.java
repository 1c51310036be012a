package dev.dnsgate.rules.match;

import dev.dnsgate.wire.IpLiteral;
import java.net.InetAddress;
import java.util.List;

/** An IPv4 or IPv6 network such as 10.0.0.0/8 or fd00::/8; a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefix) {

  /** @throws IllegalArgumentException with a message fit for a rule-file error */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = IpLiteral.parse(address)
        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or network"))
        .getAddress();
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "': the prefix length is not a number");
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("'" + text + "': prefix length out of range");
    }
    return new Cidr(bytes, prefix);
  }

  /**
   * Whether any of {@code networks} holds {@code address}. It runs for every query (the access gate,
   * rate-limit exemptions, client rules), so the address is copied out once, not once per network,
   * and the list is walked by index, not by an iterator object.
   */
  public static boolean anyContains(List<Cidr> networks, InetAddress address) {
    if (networks.isEmpty()) {
      return false;
    }
    byte[] candidate = address.getAddress();
    for (int i = 0; i < networks.size(); i++) {
      if (networks.get(i).contains(candidate)) {
        return true;
      }
    }
    return false;
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  private boolean contains(byte[] candidate) {
    if (candidate.length != network.length) {
      return false;
    }
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
  }
}
