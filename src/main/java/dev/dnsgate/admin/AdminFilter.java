package dev.dnsgate.admin;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.wire.IpLiteral;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Stands in front of every HTTP route except the open ones (health probes, metrics and the
 * dashboard's static files, which hold no state): safe by default, so that a route added later is
 * guarded without anyone remembering to guard it. Refusals are JSON, counted in
 * {@code dnsgate_admin_refused_total{reason}} and logged without the presented token.
 */
@ApplicationScoped
public class AdminFilter {

  private static final Logger LOG = Logger.getLogger(AdminFilter.class);
  /** Ahead of every route the application registers (they take the default orders from 0 up). */
  static final int ORDER = -10_000;
  private static final long LOG_EVERY_MS = 1000;

  private final AdminAccess access;
  private final Map<AdminAccess.Decision, Counter> refused = new EnumMap<>(AdminAccess.Decision.class);
  private final AtomicLong lastLog = new AtomicLong();
  private final AtomicLong unlogged = new AtomicLong();

  public AdminFilter(DnsgateConfig config, MeterRegistry registry) {
    this.access = AdminAccess.of(config.admin());
    for (AdminAccess.Decision d : AdminAccess.Decision.values()) {
      if (d != AdminAccess.Decision.ALLOWED) {
        refused.put(d, Counter.builder("dnsgate.admin.refused").tag("reason", d.reason())
            .description("Admin requests refused, by reason").register(registry));
      }
    }
  }

  void register(@Observes @Priority(1) Router router) {
    router.route().order(ORDER).handler(this::filter);
  }

  /**
   * Paths anyone who reaches the port may use: they change nothing and reveal no rule or query (the
   * dashboard's files are the same for everyone; its data comes from guarded routes).
   */
  static boolean open(String path) {
    return path.equals("/") || path.equals("/q") || path.startsWith("/q/") || path.equals("/dashboard") || path.startsWith("/dashboard/");
  }

  private void filter(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    if (open(path)) {
      ctx.next();
      return;
    }
    SocketAddress peer = ctx.request().connection().remoteAddress();
    AdminAccess.Decision decision = access.check(address(peer), ctx.request().getHeader("Authorization"),
        ctx.request().getHeader("Host"), ctx.request().getHeader("Origin"));
    if (decision == AdminAccess.Decision.ALLOWED) {
      ctx.next();
      return;
    }
    refused.get(decision).increment();
    log(ctx, peer, decision);
    if (decision.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"dnsgate\"");
    }
    ctx.response().setStatusCode(decision.status()).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message(decision)).put("reason", decision.reason()).encode());
  }

  private static InetAddress address(SocketAddress peer) {
    return peer == null || peer.hostAddress() == null ? null : IpLiteral.parse(peer.hostAddress()).orElse(null);
  }

  private static String message(AdminAccess.Decision decision) {
    return switch (decision) {
      case DISABLED -> "the admin API is disabled (dnsgate.admin.enabled=false)";
      case MISSING_TOKEN -> "send the admin token as 'Authorization: Bearer TOKEN'";
      case WRONG_TOKEN -> "the admin token is wrong";
      case NOT_LOOPBACK -> "without dnsgate.admin.token the admin API answers loopback peers only";
      case CROSS_SITE -> "without dnsgate.admin.token the admin API answers pages of this machine only (Host and Origin)";
      case ALLOWED -> throw new IllegalArgumentException("not a refusal");
    };
  }

  /** At most one line a second, so that a scan cannot flood the log; the counter has every refusal. */
  private void log(RoutingContext ctx, SocketAddress peer, AdminAccess.Decision decision) {
    long now = System.currentTimeMillis();
    long last = lastLog.get();
    if (now - last < LOG_EVERY_MS || !lastLog.compareAndSet(last, now)) {
      unlogged.incrementAndGet();
      return;
    }
    long skipped = unlogged.getAndSet(0);
    LOG.warnf("admin: refused %s %s from %s: %s%s", ctx.request().method(), ctx.normalizedPath(),
        peer == null ? "unknown" : peer.hostAddress(), decision.reason(),
        skipped == 0 ? "" : " (" + skipped + " more refusals not logged)");
  }
}
