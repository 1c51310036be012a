package dev.dnsgate.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.dnsgate.testing.Queries;
import dev.dnsgate.testing.Settings;
import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.ReusableWire;
import dev.dnsgate.wire.WireBytes;
import java.io.IOException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Whatever an upstream sends that parses is cached and served to clients, with and without EDNS,
 * as a well-formed answer with the client's ID, within its size limit and with the upstream's
 * records, whether the cache keeps the bytes received (never parsed on the way, when ReusableWire vouches
 * for them) or encodes them afresh. Replays the kept inputs in
 * normal runs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class UpstreamAnswerFuzzTest {

  private static final ResponseShaper SHAPER = new ResponseShaper(1232);
  private static final CachePolicy POLICY = new CachePolicy(Settings.cache(c -> { }));

  @FuzzTest(maxDuration = "60s")
  void anyParsableUpstreamAnswerIsCachedAndServedWellFormed(byte[] bytes) throws IOException {
    ReusableWire.Reusable walked = ReusableWire.check(bytes);
    if (walked != null) {
      // bytes vouched for are never parsed on the way, so they must parse, and read the same
      Message parsed = new Message(bytes);
      assertEquals(parsed.getRcode(), WireBytes.rcode(bytes));
      assertEquals(POLICY.ttlSeconds(parsed), POLICY.ttlSeconds(bytes, walked), "TTL read from the bytes");
    }
    UpstreamAnswer received = UpstreamAnswer.received(bytes);
    if (received == null) {
      // DotConnection discards what does not parse; dnsjava throws InvalidTTLException (unchecked)
      // for an RRSIG's original TTL over 2^31-1, found by this target and kept as input "ttl-over-2-31"
      return;
    }
    Message answer = received.message();
    Record question = answer.getQuestion();
    if (question == null) {
      return; // never matches an outstanding query, so never reaches the cache
    }
    AnswerCache cache = new AnswerCache(Settings.cache(c -> {
      c.maxEntries = 100;
      c.maxBytes = 1 << 20;
      c.serveStale = true;
    }), () -> 1_000_000_000L);
    CacheKey key = new CacheKey(question.getName(), question.getType(), question.getDClass(), false, false, "d");
    cache.put(key, received);
    for (boolean edns : new boolean[] {false, true}) {
      for (int hit = 0; hit < 2; hit++) { // the first hit shapes a template, the second patches it
        Message query = Message.newQuery(question);
        query.getHeader().setID(0x4242 + hit);
        if (edns) {
          query.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
        }
        QueryContext ctx = Queries.context(query);
        AnswerCache.Ready ready = cache.freshReady(key, ctx, SHAPER);
        if (ready == null) {
          return; // not cacheable (TTL 0, TC, REFUSED, negative without SOA)
        }
        assertTrue(ready.wire().length <= ctx.answerLimit());
        Message served = new Message(ready.wire());
        assertEquals(0x4242 + hit, served.getHeader().getID());
        if (!served.getHeader().getFlag(Flags.TC)) {
          // the upstream's records as dnsjava reads them (name, type, class, data; TTLs count down).
          // Compared after one encode and parse, since re-encoding normalises some odd record data
          // (an NSEC3 type bitmap, for one), which is the encoding path's doing, not a change
          Message canonical = new Message(answer.toWire());
          assertEquals(canonical.getSection(Section.ANSWER), served.getSection(Section.ANSWER));
          assertEquals(canonical.getSection(Section.AUTHORITY), served.getSection(Section.AUTHORITY));
        }
      }
    }
  }
}
