package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.resolve.AnswerSource;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** The ring keeps the last N, newest first, and filters; anonymised clients keep only their network. */
class RecentQueriesTest {

  static Seen seen(int i, AnswerSource source) throws Exception {
    return new Seen(i, InetAddress.getByName("10.0.0." + (i % 3)), Name.fromString("n" + i + ".example."), Type.A,
        source, null, Rcode.NOERROR, 100_000);
  }

  @Test
  void keepsTheLastNNewestFirst() throws Exception {
    RecentQueries recent = new RecentQueries(5);
    for (int i = 0; i < 12; i++) {
      recent.add(seen(i, i % 2 == 0 ? AnswerSource.BLOCKED : AnswerSource.UPSTREAM));
    }

    List<Seen> all = recent.search(e -> true, 100);
    assertEquals(List.of(11L, 10L, 9L, 8L, 7L), all.stream().map(Seen::epochMillis).toList());
    assertEquals(5, recent.kept());
    assertEquals(List.of("n10.example", "n8.example"), recent.search(e -> e.source() == AnswerSource.BLOCKED, 2)
        .stream().map(e -> QueryFeed.nameText(e.name())).toList());
  }

  @Test
  void anonymisedClientsKeepOnlyTheirNetwork() throws Exception {
    assertEquals("192.168.1.0", QueryFeed.network(InetAddress.getByName("192.168.1.77")).getHostAddress());
    assertEquals("2001:db8:1:0:0:0:0:0", QueryFeed.network(InetAddress.getByName("2001:db8:1:2::5")).getHostAddress());
  }
}
