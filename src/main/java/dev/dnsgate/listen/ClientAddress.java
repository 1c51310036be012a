package dev.dnsgate.listen;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The client's IP from the textual form Vert.x gives; always a literal, so nothing is looked up. */
final class ClientAddress {

  private ClientAddress() {}

  static InetAddress of(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an IP literal: " + literal, e);
    }
  }
}
