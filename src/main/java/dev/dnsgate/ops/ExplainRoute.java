package dev.dnsgate.ops;

import dev.dnsgate.rules.Explanation;
import dev.dnsgate.rules.LiveRules;
import dev.dnsgate.rules.Verdict;
import dev.dnsgate.rules.rpz.FeedStatus;
import dev.dnsgate.rules.rpz.RpzFeeds;
import dev.dnsgate.wire.ClientName;
import dev.dnsgate.wire.DomainName;
import dev.dnsgate.wire.IpLiteral;
import dev.dnsgate.dnssec.DnssecValidation;
import dev.dnsgate.dnssec.RecentResults;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@code GET /rules/explain?name=...&type=A&client=10.1.2.3&client-name=laptop}: which rules were
 * checked, which one decided (for a policy zone, the policy record), the response that would be
 * sent, and the state of every policy zone's source, as JSON; nothing is forwarded. With
 * {@code &candidate=DIR} the same query is explained under the running rules and under the rules
 * folder DIR, side by side. {@code POST /rules/reload} reloads the rules now (also done
 * automatically when files change).
 */
@ApplicationScoped
public class ExplainRoute {

  private final LiveRules rules;
  private final RpzFeeds policyZones;
  private final DnssecValidation dnssec;

  public ExplainRoute(LiveRules rules, RpzFeeds policyZones, DnssecValidation dnssec) {
    this.rules = rules;
    this.policyZones = policyZones;
    this.dnssec = dnssec;
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
    String candidate = ctx.request().getParam("candidate");
    if (candidate == null) {
      Explanation explanation = Explanation.of(rules.current(), name, type, client, clientName);
      JsonObject body = query(name, type, client, clientName).mergeIn(explained(explanation));
      if (explanation.group() != null) {
        body.put("dnssec", dnssec(explanation));
      }
      JsonArray zones = new JsonArray();
      for (FeedStatus zone : policyZones.statuses()) {
        zones.add(PolicyZoneText.json(zone));
      }
      if (!zones.isEmpty()) {
        body.put("policy-zones", zones);
      }
      ctx.response().putHeader("content-type", "application/json").end(body.encodePrettily());
      return;
    }
    if (!Files.isDirectory(Path.of(candidate))) {
      badRequest(ctx, "candidate: no rules folder " + candidate); // an empty set would explain nothing useful
      return;
    }
    // loading a folder reads its files and lists: off the event loop
    ctx.vertx().executeBlocking(() -> rules.loadCandidate(Path.of(candidate))).onComplete(loaded -> {
      if (loaded.failed()) {
        ctx.response().setStatusCode(422).putHeader("content-type", "application/json")
            .end(new JsonObject().put("error", "candidate " + candidate + ": " + loaded.cause().getMessage()).encode());
        return;
      }
      JsonObject running = explained(Explanation.of(rules.current(), name, type, client, clientName));
      JsonObject other = explained(Explanation.of(loaded.result(), name, type, client, clientName)).put("dir", candidate);
      JsonObject body = query(name, type, client, clientName).put("running", running).put("candidate", other)
          .put("same_response", running.getValue("response").equals(other.getValue("response")));
      ctx.response().putHeader("content-type", "application/json").end(body.encodePrettily());
    });
  }

  /**
   * Whether the forwarded query is validated and, if it was lately, the result and reason: explain
   * sends nothing, so the result is the last one reached for this name, type and group.
   */
  private JsonObject dnssec(Explanation e) {
    Name asked = Name.fromConstantString(e.resolvedName());
    int type = Type.value(e.resolvedType());
    JsonObject body = new JsonObject().put("validation", dnssec.coverage(asked, e.group()));
    RecentResults.Result latest = dnssec.latest(asked, type, e.group());
    if (latest != null) {
      body.put("latest", new JsonObject().put("status", latest.validation().status().label())
          .put("zone", latest.validation().zone()).put("reason", latest.validation().reason())
          .put("at", latest.at().toString()));
    }
    return body;
  }

  private static JsonObject query(Name name, int type, InetAddress client, String clientName) {
    return new JsonObject().put("query", new JsonObject().put("name", name.toString()).put("type", Type.string(type))
        .put("client", client == null ? null : client.getHostAddress()).put("client-name", clientName));
  }

  /** How one rule set handles the query: resolved name, rules checked, decision, response. */
  private static JsonObject explained(Explanation e) {
    JsonArray checked = new JsonArray();
    for (Verdict.Step step : e.checked()) {
      checked.add(new JsonObject().put("rule", step.rule()).put("action", step.kind())
          .put("source", step.source()).put("matched", step.matched()).put("result", step.result()));
    }
    JsonObject decision = new JsonObject().put("action", e.action()).put("rule", e.rule());
    if (e.policy() != null) {
      decision.put("policy", e.policy());
    }
    JsonObject body = new JsonObject()
        .put("resolved", new JsonObject().put("name", e.resolvedName()).put("type", e.resolvedType()))
        .put("checked", checked)
        .put("decision", decision);
    if (e.group() != null) {
      decision.put("group", e.group());
      body.put("response", "forwarded to upstream group '" + e.group() + "' (not sent by explain)");
    } else if (e.rcode() == null) {
      body.put("response", e.note());
    } else {
      JsonObject response = new JsonObject().put("rcode", e.rcode())
          .put("answer", new JsonArray(e.answers())).put("authority", new JsonArray(e.authority()));
      if (e.ede() >= 0) {
        response.put("ede", e.ede());
      }
      if (e.note() != null) {
        response.put("note", e.note());
      }
      body.put("response", response);
    }
    return body;
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
