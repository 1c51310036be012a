package dev.dnsgate.ops;

import dev.dnsgate.rules.Explanation;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.rules.Verdict;
import dev.dnsgate.wire.ClientName;
import dev.dnsgate.wire.DomainName;
import dev.dnsgate.wire.IpLiteral;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@code GET /rules/explain?name=...&type=A&client=10.1.2.3&client-name=laptop}: which rules were checked, which one
 * decided, and the response that would be sent, as JSON; nothing is forwarded. {@code POST
 * /rules/reload} reloads the rules now (also done automatically when files change).
 */
@ApplicationScoped
public class ExplainRoute {

  private final LiveRules rules;

  public ExplainRoute(LiveRules rules) {
    this.rules = rules;
  }

  void register(@Observes Router router) {
    router.get("/rules/explain").handler(this::explain);
    router.post("/rules/reload").blockingHandler(ctx -> {
      boolean loaded = rules.reload();
      ctx.response().setStatusCode(loaded ? 200 : 422).putHeader("content-type", "application/json")
          .end(new JsonObject().put("reloaded", loaded).put("rules", rules.current().size()).encode());
    });
  }

  private void explain(RoutingContext ctx) {
    String nameText = ctx.request().getParam("name");
    String typeText = ctx.request().getParam("type", "A");
    String clientText = ctx.request().getParam("client");
    String clientNameText = ctx.request().getParam("client-name");
    if (nameText == null || nameText.isBlank()) {
      badRequest(ctx, "name is required, e.g. /rules/explain?name=www.example.com&type=A");
      return;
    }
    int type = Type.value(typeText.toUpperCase());
    if (type < 0) {
      badRequest(ctx, "'" + typeText + "' is not a DNS type");
      return;
    }
    Name name;
    InetAddress client;
    try {
      name = DomainName.parse(nameText);
      client = clientText == null ? null : literal(clientText);
    } catch (IllegalArgumentException e) {
      badRequest(ctx, e.getMessage());
      return;
    }
    String clientName = clientNameText == null ? null : ClientName.valid(clientNameText);
    if (clientNameText != null && clientName == null) {
      badRequest(ctx, "'" + clientNameText + "' is not a client name: 1-63 letters, digits and inner hyphens");
      return;
    }
    Explanation e = Explanation.of(rules.current(), name, type, client, clientName);
    JsonArray checked = new JsonArray();
    for (Verdict.Step step : e.checked()) {
      checked.add(new JsonObject().put("rule", step.rule()).put("action", step.kind())
          .put("source", step.source()).put("matched", step.matched()).put("result", step.result()));
    }
    JsonObject decision = new JsonObject().put("action", e.action()).put("rule", e.rule());
    JsonObject body = new JsonObject()
        .put("query", new JsonObject().put("name", e.name()).put("type", e.type()).put("client", e.client())
            .put("client-name", e.clientName()))
        .put("resolved", new JsonObject().put("name", e.resolvedName()).put("type", e.resolvedType()))
        .put("checked", checked)
        .put("decision", decision);
    if (e.group() != null) {
      decision.put("group", e.group());
      body.put("response", "forwarded to upstream group '" + e.group() + "' (not sent by explain)");
    } else {
      JsonObject response = new JsonObject().put("rcode", e.rcode())
          .put("answer", new JsonArray(e.answers())).put("authority", new JsonArray(e.authority()));
      if (e.ede() >= 0) {
        response.put("ede", e.ede());
      }
      body.put("response", response);
    }
    ctx.response().putHeader("content-type", "application/json").end(body.encodePrettily());
  }

  private static InetAddress literal(String text) {
    return IpLiteral.parse(text)
        .orElseThrow(() -> new IllegalArgumentException("client must be an IP address, not '" + text + "'"));
  }

  private static void badRequest(RoutingContext ctx, String message) {
    ctx.response().setStatusCode(400).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encode());
  }
}
