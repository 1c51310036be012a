package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ring keeps the last N, newest first, and filters. */
class RecentQueriesTest {

  static RecentQueries.Entry entry(int i, String source) {
    return new RecentQueries.Entry(i, "10.0.0." + (i % 3), "n" + i + ".example", "A", source, null, "NOERROR", 0.1);
  }

  @Test
  void keepsTheLastNNewestFirst() {
    RecentQueries recent = new RecentQueries(5);
    for (int i = 0; i < 12; i++) {
      recent.add(entry(i, i % 2 == 0 ? "blocked" : "upstream"));
    }

    List<RecentQueries.Entry> all = recent.search(e -> true, 100);
    assertEquals(List.of(11L, 10L, 9L, 8L, 7L), all.stream().map(RecentQueries.Entry::epochMillis).toList());
    assertEquals(5, recent.kept());
    assertEquals(List.of("n10.example", "n8.example"),
        recent.search(e -> e.source().equals("blocked"), 2).stream().map(RecentQueries.Entry::name).toList());
  }

  @Test
  void clientsAreCutToTheirNetworkWhenAnonymised() throws Exception {
    assertEquals("192.168.1.77", QueryFeed.clientText(InetAddress.getByName("192.168.1.77"), false));
    assertEquals("192.168.1.0/24", QueryFeed.clientText(InetAddress.getByName("192.168.1.77"), true));
    assertEquals("2001:db8:1:0:0:0:0:0/48", QueryFeed.clientText(InetAddress.getByName("2001:db8:1:2::5"), true));
  }
}
