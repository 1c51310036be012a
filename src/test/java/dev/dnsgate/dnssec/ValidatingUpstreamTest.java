package dev.dnsgate.dnssec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.config.DnsgateConfig.Dnssec.AnchorMode;
import dev.dnsgate.testing.SignedZones;
import dev.dnsgate.upstream.OutboundQuery;
import dev.dnsgate.upstream.Upstream;
import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.upstream.Validation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** The validating upstream's limits and anchors, on an in-memory upstream answering from signed zones. */
class ValidatingUpstreamTest {

  final SignedZones zones = SignedZonesResource.build();
  final ExecutorService pool = Executors.newFixedThreadPool(2);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicInteger lookups = new AtomicInteger();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** Answers from the signed zones, as the scripted DoT upstream does, counting each exchange. */
  final Upstream upstream = new Upstream() {
    @Override
    public CompletableFuture<UpstreamAnswer> resolve(OutboundQuery query) {
      lookups.incrementAndGet();
      try {
        byte[] wire = zones.answer(new Message(query.wire())).bytes();
        return CompletableFuture.completedFuture(new UpstreamAnswer(new Message(wire), wire));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public boolean padding() {
      return false;
    }
  };

  ValidatingUpstream validating(int maxLookups) throws Exception {
    ValidatingResolver validator = new ValidatingResolver(new HeadResolver(upstream, "default", null, maxLookups, 8));
    String anchor = zones.zone("e2e.test.").ds() + "\n";
    validator.loadTrustAnchors(new ByteArrayInputStream(anchor.getBytes(StandardCharsets.US_ASCII)));
    validator.setAddReasonToAdditional(true);
    return new ValidatingUpstream(upstream, "default", validator, new NegativeAnchors(List.of()), pool, maxLookups,
        new DnssecMeters(registry), new RecentResults());
  }

  static OutboundQuery query(String name) {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return OutboundQuery.of(query, false);
  }

  static int ede(Message m) {
    for (EDNSOption option : m.getOPT().getOptions()) {
      if (option instanceof ExtendedErrorCodeOption ede) {
        return ede.getErrorCode();
      }
    }
    return -1;
  }

  @Test
  void secureChainNeedsFourLookupsAndFitsTheDefaultLimit() throws Exception {
    UpstreamAnswer answer = validating(32).resolve(query("host.n3.e2e.test.")).get(10, TimeUnit.SECONDS);
    assertEquals(Validation.Status.SECURE, answer.validation().status(), String.valueOf(answer.validation()));
    assertEquals(4, lookups.get(), "A, DNSKEY e2e.test, DS n3, DNSKEY n3");
  }

  @Test
  void lookupLimitStopsAValidationAsIndeterminateWithEde5() throws Exception {
    UpstreamAnswer answer = validating(2).resolve(query("host.n3.e2e.test.")).get(10, TimeUnit.SECONDS);
    assertEquals(Validation.Status.INDETERMINATE, answer.validation().status());
    assertEquals(Rcode.SERVFAIL, answer.message().getRcode());
    assertEquals(ExtendedErrorCodeOption.DNSSEC_INDETERMINATE, ede(answer.message()));
    assertEquals(2, lookups.get(), "no lookup past the limit");
    assertEquals(1.0, registry.get("dnsgate.dnssec.limit.reached").tag("limit", "lookups").counter().count());
  }

  @Test
  void builtInAnchorsAreIanasRootKsk2017And2024() throws Exception {
    ValidatingResolver validator = new ValidatingResolver(new HeadResolver(upstream, "default", null, 32, 8));
    validator.loadTrustAnchors(new ByteArrayInputStream(
        TrustAnchors.text(Optional.empty(), AnchorMode.ADD).getBytes(StandardCharsets.US_ASCII)));
    RRset root = validator.getTrustAnchors().find(Name.root, DClass.IN);
    assertNotNull(root);
    List<Integer> tags = root.rrs().stream().map(r -> ((DSRecord) r).getFootprint()).sorted().toList();
    assertEquals(List.of(20326, 38696), tags);
  }

  @Test
  void anchorFileWithOtherRecordsIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("anchors.zone");
    Files.writeString(file, zones.zone("e2e.test.").ds() + "\nwww.e2e.test. 300 IN A 192.0.2.1\n");
    List<String> problems = TrustAnchors.problems(file.toString());
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(file + ": www.e2e.test. A"), problems.get(0));
    Files.writeString(file, "e2e.test. 300 IN DS not a digest\n");
    assertTrue(TrustAnchors.problems(file.toString()).get(0).startsWith(file.toString()), "syntax errors too");
  }
}
