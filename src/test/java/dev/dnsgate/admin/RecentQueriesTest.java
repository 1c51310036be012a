package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

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
  void everyFieldComesBackWithTheLongestNamesAndEveryKindOfClient() throws Exception {
    RecentQueries recent = new RecentQueries(3);
    Name longest = Name.fromString((("a".repeat(63) + ".").repeat(3) + "b".repeat(61)) + ".");
    List<Seen> added = List.of(
        new Seen(1, InetAddress.getByName("2001:db8::53"), longest, Type.AAAA, AnswerSource.CACHE, "cache",
            Rcode.NOERROR, 7),
        new Seen(2, null, Name.root, Type.NS, AnswerSource.LOCAL, "rule lan (local)", Rcode.NXDOMAIN, 8),
        new Seen(3, InetAddress.getByName("192.0.2.1"), Name.fromString("Mixed.Case.example."), Type.TXT,
            AnswerSource.UPSTREAM, "default", Rcode.SERVFAIL, Long.MAX_VALUE));
    added.forEach(recent::add);

    assertEquals(255, longest.length());
    assertEquals(List.of(added.get(2), added.get(1), added.get(0)), recent.search(e -> true, 10));
    assertEquals("mixed.case.example.", recent.search(e -> true, 1).get(0).name().toString());
  }

  @Test
  void keepsCopiesNotWhatItWasGiven() throws Exception {
    RecentQueries recent = new RecentQueries(10);
    Seen given = new Seen(1, InetAddress.getByName("10.0.0.1"), Name.fromString("copied.example."), Type.A,
        AnswerSource.UPSTREAM, null, Rcode.NOERROR, 1);
    recent.add(given);

    Seen found = recent.search(e -> true, 1).get(0);
    assertEquals(given, found);
    // held by the ring, the name and client of every answer of the last half second were copied by
    // each young collection (BENCHMARKS.md, "Young pauses at rest")
    assertNotSame(given.name(), found.name());
    assertNotSame(given.client(), found.client());
  }

  @Test
  void anonymisedClientsKeepOnlyTheirNetwork() throws Exception {
    assertEquals("192.168.1.0", QueryFeed.network(InetAddress.getByName("192.168.1.77")).getHostAddress());
    assertEquals("2001:db8:1:0:0:0:0:0", QueryFeed.network(InetAddress.getByName("2001:db8:1:2::5")).getHostAddress());
  }
}
