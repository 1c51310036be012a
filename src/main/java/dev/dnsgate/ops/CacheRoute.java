package dev.dnsgate.ops;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.wire.DomainName;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** {@code DELETE /cache} empties the answer cache; {@code DELETE /cache?name=example.com} one name. */
@ApplicationScoped
public class CacheRoute {

  private final AnswerCache cache;

  public CacheRoute(AnswerCache cache) {
    this.cache = cache;
  }

  void register(@Observes Router router) {
    router.delete("/cache").handler(this::flush);
  }

  private void flush(RoutingContext ctx) {
    String name = ctx.request().getParam("name");
    JsonObject body = new JsonObject();
    if (name == null) {
      long before = cache.size();
      cache.flush();
      body.put("flushed", before);
    } else {
      try {
        body.put("flushed", cache.flush(DomainName.parse(name))).put("name", name);
      } catch (IllegalArgumentException e) {
        ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", "'" + name + "' is not a valid name").encode());
        return;
      }
    }
    ctx.response().putHeader("content-type", "application/json").end(body.encode());
  }
}
