package dev.dnsgate.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class ClientNameTest {

  @Test
  void validNamesAreSingleLabelsInLowerCase() {
    assertEquals("laptop", ClientName.valid("Laptop"));
    assertEquals("kids-tablet-2", ClientName.valid("kids-tablet-2"));
    assertEquals("a".repeat(63), ClientName.valid("a".repeat(63)));
  }

  @Test
  void anythingElseIsNoName() {
    for (String bad : new String[] {"", "a".repeat(64), "-x", "x-", "a.b", "a b", "ä", "x_y", "../x", "%41"}) {
      assertNull(ClientName.valid(bad), bad);
    }
    assertNull(ClientName.valid(null));
  }

  @Test
  void serverNameGivesTheFirstLabelOnlyBelowTheConfiguredName() {
    assertEquals("laptop", ClientName.fromServerName("LAPTOP.dns.example.org", "dns.example.org"));
    assertNull(ClientName.fromServerName("dns.example.org", "dns.example.org"));
    assertNull(ClientName.fromServerName("a.b.dns.example.org", "dns.example.org"));
    assertNull(ClientName.fromServerName("laptop.other.org", "dns.example.org"));
    assertNull(ClientName.fromServerName("laptop.dns.example.org", null));
    assertNull(ClientName.fromServerName(null, "dns.example.org"));
  }
}
