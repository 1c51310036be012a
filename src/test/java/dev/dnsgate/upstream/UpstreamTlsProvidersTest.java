package dev.dnsgate.upstream;

import static dev.dnsgate.upstream.UpstreamTestSupport.withTls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.loops.EventLoops;
import dev.dnsgate.testing.ScriptedDotServer;
import dev.dnsgate.tls.TlsProvider;
import dev.dnsgate.upstream.UpstreamException.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Rcode;

/**
 * Either TLS implementation verifies the upstream the same way: chain and name, nothing sent
 * otherwise (pins and the rest of the DoT client: DotUpstreamTest, on the default provider).
 */
class UpstreamTlsProvidersTest extends UpstreamTestBase {

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void verifiedServerAnswers(TlsProvider provider) throws Exception {
    ScriptedDotServer good = server("dot.test");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), withTls(provider, good));

    assertEquals(Rcode.NOERROR, resolve("ok.example.test.").getRcode());
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void certificateForAnotherNameIsRefusedEvenIfItListsTheIp(TlsProvider provider) {
    ScriptedDotServer wrongName = server("wrong.test");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), withTls(provider, wrongName));

    assertEquals(Kind.TLS, failure("x.example.test.").kind());
    assertTrue(wrongName.received().isEmpty(), "no query sent over an unverified connection");
  }

  @ParameterizedTest
  @EnumSource(TlsProvider.class)
  void certificateFromUntrustedCaIsRefused(TlsProvider provider) {
    ScriptedDotServer rogue = server("rogue-dot.test");
    group = new UpstreamGroup(vertx, new EventLoops(vertx), withTls(provider, rogue));

    assertEquals(Kind.TLS, failure("x.example.test.").kind());
    assertTrue(rogue.received().isEmpty());
  }
}
