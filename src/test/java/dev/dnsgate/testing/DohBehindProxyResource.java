package dev.dnsgate.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * With the scripted upstreams of {@link DotUpstreamsResource} (applied to every test), the DoH listener in plain-HTTP mode behind a "reverse proxy" on
 * 127.0.0.1 (trusted); clients are answered only from loopback and 203.0.113.0/24, so which address
 * the listener believes shows in the rcode.
 */
public class DohBehindProxyResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>();
    config.put("dnsgate.listen.doh.enabled", "true");
    config.put("dnsgate.listen.doh.port", "0");
    config.put("dnsgate.listen.doh.plain-http", "true");
    config.put("dnsgate.listen.doh.trusted-proxies", "127.0.0.1/32");
    config.put("dnsgate.access.allow", "127.0.0.0/8,203.0.113.0/24");
    return config;
  }

  @Override
  public void stop() {}
}
