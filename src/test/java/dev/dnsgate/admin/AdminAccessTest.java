package dev.dnsgate.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dnsgate.admin.AdminAccess.Decision;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may use the admin routes, decided without a server (the end-to-end test covers the wiring). */
class AdminAccessTest {

  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final String H = "127.0.0.1:8053";
  static final InetAddress POD = address("10.244.1.7");
  static final InetAddress POD6 = address("fd00::7");

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void withoutATokenOnlyLoopbackPeersAreServed() {
    AdminAccess access = new AdminAccess(true, Optional.empty());

    assertEquals(Decision.ALLOWED, access.check(LOOPBACK, null, H, null));
    assertEquals(Decision.ALLOWED, access.check(address("127.0.0.9"), null, H, null));
    assertEquals(Decision.ALLOWED, access.check(address("::1"), null, H, null));
    assertEquals(Decision.NOT_LOOPBACK, access.check(POD, null, H, null));
    assertEquals(Decision.NOT_LOOPBACK, access.check(POD6, "Bearer anything", H, null));
    assertEquals(Decision.NOT_LOOPBACK, access.check(null, null, H, null));
  }

  @Test
  void withATokenEveryPeerMustPresentItLoopbackIncluded() {
    AdminAccess access = new AdminAccess(true, Optional.of("s3cret-token"));

    assertEquals(Decision.ALLOWED, access.check(POD, "Bearer s3cret-token", H, null));
    assertEquals(Decision.ALLOWED, access.check(POD, "bearer s3cret-token", H, null));
    assertEquals(Decision.MISSING_TOKEN, access.check(LOOPBACK, null, H, null), "a sidecar proxy connects from loopback");
    assertEquals(Decision.MISSING_TOKEN, access.check(POD, "Basic czNjcmV0LXRva2Vu", H, null));
    assertEquals(Decision.MISSING_TOKEN, access.check(POD, "Bearer ", H, null));
    assertEquals(Decision.WRONG_TOKEN, access.check(POD, "Bearer s3cret-tokeN", H, null));
    assertEquals(Decision.WRONG_TOKEN, access.check(POD, "Bearer s3cret-token-and-more", H, null));
    assertEquals(401, Decision.WRONG_TOKEN.status());
    assertEquals(403, Decision.NOT_LOOPBACK.status());
  }

  @Test
  void disabledAdminAnswersNobody() {
    AdminAccess access = new AdminAccess(false, Optional.of("t"));

    assertEquals(Decision.DISABLED, access.check(LOOPBACK, "Bearer t", H, null));
    assertEquals(404, Decision.DISABLED.status());
  }

  @Test
  void probesMetricsAndTheDashboardFilesAreOpenEverythingElseGuarded() {
    for (String open : new String[] {"/", "/q/health/ready", "/q/health/live", "/q/metrics", "/dashboard/", "/dashboard/dashboard.js"}) {
      assertEquals(true, AdminFilter.open(open), open);
    }
    for (String guarded : new String[] {"/rules/explain", "/rules/reload", "/cache", "/admin/pause", "/admin/stats",
        "/admin/queries", "/dashboards", "/qq", "/anything-added-later"}) {
      assertEquals(false, AdminFilter.open(guarded), guarded);
    }
  }

  @Test
  void withoutATokenPagesOfOtherSitesAndRebindingNamesAreRefused() {
    AdminAccess access = new AdminAccess(true, Optional.empty());

    assertEquals(Decision.ALLOWED, access.check(LOOPBACK, null, "localhost:8053", "http://localhost:8053"));
    assertEquals(Decision.ALLOWED, access.check(LOOPBACK, null, "[::1]:8053", null));
    assertEquals(Decision.ALLOWED, access.check(LOOPBACK, null, "127.0.0.1:8053", null), "curl sends no Origin");
    assertEquals(Decision.CROSS_SITE, access.check(LOOPBACK, null, "127.0.0.1:8053", "https://evil.example"),
        "a simple POST from another site's page");
    assertEquals(Decision.CROSS_SITE, access.check(LOOPBACK, null, "rebind.evil.example:8053", null),
        "a name that resolves to 127.0.0.1");
    assertEquals(Decision.CROSS_SITE, access.check(LOOPBACK, null, "127.0.0.1:8053", "null"));
    assertEquals(Decision.ALLOWED, new AdminAccess(true, Optional.of("t"))
        .check(POD, "Bearer t", "dnsgate.example:8053", "https://grafana.example"), "the token is enough");
  }
}
