package dev.dnsgate.admin;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The admin API guarded by a token, as in a cluster; the test upstreams and rules of DotUpstreamsResource. */
public class AdminProfile implements QuarkusTestProfile {

  static final String TOKEN = "e2e-admin-token-0123456789";

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("dnsgate.admin.token", TOKEN, "dnsgate.admin.recent.size", "200");
  }
}
