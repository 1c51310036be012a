package dev.dnsgate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts two scripted DoT upstreams (both presenting dot.test, signed by the test CA) before Quarkus
 * boots, and points the proxy at them: primary first, secondary as its failover and as the "corp"
 * group of conditional forwarding; the rules are those of src/test/rules.
 */
public class DotUpstreamsResource implements QuarkusTestResourceLifecycleManager {

  public static ScriptedDotServer primary;
  public static ScriptedDotServer secondary;

  @Override
  public Map<String, String> start() {
    primary = new ScriptedDotServer("dot.test").start();
    secondary = new ScriptedDotServer("dot.test").start();
    return Map.of(
        "dnsgate.upstream.servers",
            "127.0.0.1:" + primary.port() + "#dot.test,127.0.0.1:" + secondary.port() + "#dot.test",
        "dnsgate.upstream.groups.corp.servers", "127.0.0.1:" + secondary.port() + "#dot.test",
        "dnsgate.rules.dir", "src/test/rules",
        "dnsgate.upstream.ca-file", TestFiles.tls("test-ca.pem"),
        "dnsgate.upstream.attempt-timeout", "700ms",
        "dnsgate.upstream.total-timeout", "1500ms",
        "dnsgate.upstream.probe-interval", "100ms");
  }

  /** Both upstreams up, with the standard script, and nothing recorded. */
  public static void resetAll() {
    for (ScriptedDotServer server : new ScriptedDotServer[] {primary, secondary}) {
      server.reset();
    }
  }

  @Override
  public void stop() {
    primary.close();
    secondary.close();
  }
}
