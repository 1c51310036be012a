package dev.dnsgate.rules.rpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.RuleQuery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Zone files read line by line (the feed's common lines) and through dnsjava's Master agree. */
class ZoneReaderTest {

  private static final Name ZONE = Name.fromConstantString("feed.rpz.");
  private static final String RECORDS = String.join("\n",
      "@ SOA ns.feed.rpz. admin.feed.rpz. 42 3600 600 86400 60",
      "@ NS localhost.",
      "plain.example CNAME .",
      "ttl.example 300 IN CNAME *.",
      "Upper.Example cname rpz-passthru. ; a comment",
      "absolute.example.feed.rpz. CNAME rpz-drop.",
      "*.wild.example CNAME rpz-tcp-only.",
      "garden.example A 10.6.6.6",
      "  TXT \"same owner\"",
      "24.0.2.0.192.rpz-ip CNAME .",
      "ns.bad.rpz-nsdname CNAME .",
      "outside.example.other. CNAME .",
      "");

  @TempDir Path dir;

  private Triggers read(String header) throws IOException {
    Path file = dir.resolve("zone-" + System.nanoTime());
    Files.writeString(file, header + RECORDS);
    return ZoneReader.read(file, ZONE);
  }

  private static String decide(Triggers triggers, String name, int type) {
    RpzFeed feed = new StaticFeed("feed.rpz", "test", triggers, Instant.now(), "");
    PolicyZone zone = new PolicyZone("feed", ZONE, feed,
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.BLOCKED, "t"), new SimpleMeterRegistry());
    Outcome outcome = zone.apply(new RuleQuery(Name.fromConstantString(name), type, DClass.IN, null));
    if (outcome instanceof Outcome.Answer answer) {
      Message m = answer.message();
      return Rcode.string(m.getRcode()) + " " + m.getSection(Section.ANSWER).size();
    }
    return outcome == null ? "none" : outcome.getClass().getSimpleName();
  }

  @Test
  void lineByLineAndMasterReadTheSamePolicies() throws IOException {
    Triggers fast = read("$TTL 60\n");
    Triggers master = read("$TTL 60\n$ORIGIN feed.rpz.\n"); // $ORIGIN sends the whole file through Master

    for (Triggers t : List.of(fast, master)) {
      assertEquals(42, t.serial());
      assertEquals(8, t.records());
      assertEquals(1, t.skipped());
    }
    for (String name : List.of("plain.example.", "ttl.example.", "upper.example.", "absolute.example.",
        "x.wild.example.", "wild.example.", "garden.example.", "outside.example.", "nothing.example.")) {
      for (int type : new int[] {Type.A, Type.TXT}) {
        assertEquals(decide(master, name, type), decide(fast, name, type), name + " " + Type.string(type));
      }
    }
    assertEquals("NXDOMAIN 0", decide(fast, "plain.example.", Type.A));
    assertEquals("Pass", decide(fast, "upper.example.", Type.A));
    assertEquals("Drop", decide(fast, "absolute.example.", Type.A));
    assertEquals("Truncate", decide(fast, "x.wild.example.", Type.A));
    assertEquals("NOERROR 1", decide(fast, "garden.example.", Type.TXT));
    assertEquals("none", decide(fast, "outside.example.", Type.A));
    assertTrue(fast.hasIpTriggers(TriggerKind.RESPONSE_IP));
  }

  @Test
  void aZoneWithoutItsSoaIsRefused() throws IOException {
    Path file = dir.resolve("no-soa");
    Files.writeString(file, "plain.example CNAME .\n");
    assertThrows(ZoneReader.BadZoneException.class, () -> ZoneReader.read(file, ZONE));
  }
}
