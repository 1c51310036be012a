package dev.dnsgate.admin;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The dashboard is static files under META-INF/resources/dashboard/ (plain HTML and JavaScript over
 * the admin API, nothing from a CDN); {@code /} and {@code /dashboard} lead to it, so that its
 * relative links resolve.
 */
@ApplicationScoped
public class DashboardRoute {

  static final String HOME = "/dashboard/";

  void register(@Observes Router router) {
    // regexes: a plain "/dashboard" route would also match "/dashboard/" and redirect it to itself
    router.getWithRegex("^/(dashboard)?$").handler(ctx -> ctx.redirect(HOME));
  }
}
