package dev.dnsgate.rules.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.0/25, 192.168.1.127, true",
    "192.168.1.0/25, 192.168.1.128, false",
    "127.0.0.1, 127.0.0.1, true",
    "127.0.0.1, 127.0.0.2, false",
    "fc00::/7, fd12::1, true",
    "fc00::/7, fe80::1, false",
    "10.0.0.0/8, ::ffff:10.0.0.1, true",
    "0.0.0.0/0, 8.8.8.8, true"
  })
  void containment(String network, String address, boolean expected) throws Exception {
    assertEquals(expected, Cidr.parse(network).contains(InetAddress.getByName(address)));
  }

  @Test
  void namesAndBadPrefixesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
  }
}
