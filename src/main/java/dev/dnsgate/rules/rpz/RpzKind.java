package dev.dnsgate.rules.rpz;

import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleFileException;
import dev.dnsgate.rules.RuleKindBase;
import dev.dnsgate.rules.RuleSpec;
import dev.dnsgate.rules.match.ListSources;
import dev.dnsgate.wire.DomainName;
import dev.dnsgate.wire.IpLiteral;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;

/**
 * {@code action: rpz}: the policies of one Response Policy Zone (draft-vixie-dnsop-dns-rpz) from a
 * zone file ({@code file:}), an http(s) URL ({@code url:}) or a primary by zone transfer ({@code
 * primary:}, optionally {@code tsig-key:} a key file). Runs in the BLOCK phase, after allow rules,
 * so an allowlist keeps its meaning; several rpz rules are several zones, asked in file order, and
 * the first that has a policy for the query decides. {@code ede:} picks the Extended DNS Error:
 * blocked (15, default), censored (16) or filtered (17).
 */
@Singleton
public class RpzKind extends RuleKindBase {

  private static final List<String> SOURCES = List.of("file", "url", "primary");

  private final RpzFeeds feeds;
  private final MeterRegistry registry;

  public RpzKind(RpzFeeds feeds, MeterRegistry registry) {
    super("rpz", Phase.BLOCK, Set.of("zone", "file", "url", "primary", "tsig-key", "ede"));
    this.feeds = feeds;
    this.registry = registry;
  }

  @Override
  public RuleAction build(RuleSpec spec) {
    Name origin = zone(spec);
    long sources = SOURCES.stream().filter(spec::has).count();
    if (sources != 1) {
      throw new RuleFileException(spec.where(), "an rpz rule needs exactly one of file, url or primary");
    }
    if (spec.has("tsig-key") && !spec.has("primary")) {
      throw spec.error("tsig-key", "tsig-key signs zone transfers: it goes with primary");
    }
    int edeCode = ede(spec);
    RpzFeed feed = feed(spec, origin);
    ExtendedErrorCodeOption ede = new ExtendedErrorCodeOption(edeCode, "rpz zone " + origin.toString(true));
    return new PolicyZone(spec.string("name"), origin, feed, ede, registry);
  }

  @Override
  public void loadFinished(boolean applied) {
    feeds.loadFinished(applied);
  }

  private static Name zone(RuleSpec spec) {
    try {
      return DomainName.parse(spec.string("zone"));
    } catch (IllegalArgumentException e) {
      throw spec.error("zone", "zone: " + e.getMessage());
    }
  }

  private static int ede(RuleSpec spec) {
    String text = spec.optionalString("ede").orElse("blocked");
    switch (text.toLowerCase()) {
      case "blocked":
        return ExtendedErrorCodeOption.BLOCKED;
      case "censored":
        return ExtendedErrorCodeOption.CENSORED;
      case "filtered":
        return ExtendedErrorCodeOption.FILTERED;
      default:
        throw spec.error("ede", "ede must be blocked, censored or filtered, not '" + text + "'");
    }
  }

  private RpzFeed feed(RuleSpec spec, Name origin) {
    ListSources lists = spec.environment().lists();
    if (spec.has("url")) {
      String url = spec.string("url");
      if (!ListSources.isUrl(url)) {
        throw spec.error("url", "url must start with http:// or https://, not '" + url + "'");
      }
      return feeds.url(origin, url, lists);
    }
    if (spec.has("file")) {
      Path file = spec.path("file");
      if (!Files.isReadable(file)) {
        throw spec.error("file", "cannot read zone file " + file);
      }
      try {
        return feeds.file(origin, file);
      } catch (IOException e) {
        throw spec.error("file", e.getMessage());
      }
    }
    TsigKeyFile.Key key = null;
    if (spec.has("tsig-key")) {
      Path keyFile = spec.path("tsig-key");
      try {
        key = TsigKeyFile.read(keyFile);
      } catch (IOException | IllegalArgumentException e) {
        throw spec.error("tsig-key", "tsig-key: " + e.getMessage());
      }
    }
    return feeds.transfer(origin, primary(spec), key, lists.cacheDir());
  }

  /** "192.0.2.53", "192.0.2.53:5353" or "[2001:db8::53]:53"; port 53 by default. */
  private static InetSocketAddress primary(RuleSpec spec) {
    String text = spec.string("primary").strip();
    String host = text;
    int port = 53;
    int colon = text.lastIndexOf(':');
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      host = close > 0 ? text.substring(1, close) : text;
      if (close > 0 && close + 1 < text.length() && text.charAt(close + 1) == ':') {
        port = port(spec, text.substring(close + 2));
      }
    } else if (colon > 0 && text.indexOf(':') == colon) {
      host = text.substring(0, colon);
      port = port(spec, text.substring(colon + 1));
    }
    InetAddress address = IpLiteral.parse(host).orElseThrow(() ->
        spec.error("primary", "primary must be an IP address with an optional port, not '" + text + "'"));
    return new InetSocketAddress(address, port);
  }

  private static int port(RuleSpec spec, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw spec.error("primary", "'" + text + "' is not a port");
  }
}
