package dev.dnsgate.admin;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.wire.IpLiteral;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who may use the admin routes. With a token, every peer must present it as {@code Authorization:
 * Bearer TOKEN}, loopback included: a reverse proxy or a service-mesh sidecar on the same machine
 * connects from loopback on behalf of anyone. Without a token, only loopback peers are served, not
 * on behalf of another web site (see {@link #fromThisMachine}), and start-up refuses an HTTP host
 * other than loopback (see ConfigValidator).
 */
public final class AdminAccess {

  /** What to do with one request. */
  public enum Decision {
    ALLOWED(200, null),
    DISABLED(404, "disabled"),
    MISSING_TOKEN(401, "missing-token"),
    WRONG_TOKEN(401, "wrong-token"),
    NOT_LOOPBACK(403, "not-loopback"),
    CROSS_SITE(403, "cross-site");

    private final int status;
    private final String reason;

    Decision(int status, String reason) {
      this.status = status;
      this.reason = reason;
    }

    public int status() {
      return status;
    }

    /** A fixed label, safe for metrics and logs. */
    public String reason() {
      return reason;
    }
  }

  private static final String BEARER = "bearer ";

  private final boolean enabled;
  /** Hashes are compared, not tokens: equal lengths, so the comparison time says nothing either. */
  private final byte[] tokenHash;

  public AdminAccess(boolean enabled, Optional<String> token) {
    this.enabled = enabled;
    this.tokenHash = token.map(AdminAccess::sha256).orElse(null);
  }

  /** From the configuration: the token itself, or the first line of the token file. */
  public static AdminAccess of(DnsgateConfig.Admin config) {
    return new AdminAccess(config.enabled(), configuredToken(config));
  }

  /** The token set by {@code token} or {@code token-file}; the validator has checked the file. */
  public static Optional<String> configuredToken(DnsgateConfig.Admin config) {
    if (config.tokenFile().isPresent()) {
      try {
        return Optional.of(Files.readString(Path.of(config.tokenFile().get())).trim()).filter(t -> !t.isEmpty());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return config.token().map(String::trim).filter(t -> !t.isEmpty());
  }

  public boolean tokenRequired() {
    return tokenHash != null;
  }

  /**
   * @param peer the address the connection comes from (never a forwarded-for header)
   * @param authorization the Authorization header, or null
   * @param host the Host header, or null
   * @param origin the Origin header (sent by browsers), or null
   */
  public Decision check(InetAddress peer, String authorization, String host, String origin) {
    if (!enabled) {
      return Decision.DISABLED;
    }
    if (tokenHash == null) {
      if (peer == null || !peer.isLoopbackAddress()) {
        return Decision.NOT_LOOPBACK;
      }
      return fromThisMachine(host, origin) ? Decision.ALLOWED : Decision.CROSS_SITE;
    }
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Decision.MISSING_TOKEN;
    }
    byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
    return MessageDigest.isEqual(presented, tokenHash) ? Decision.ALLOWED : Decision.WRONG_TOKEN;
  }

  /**
   * Without a token, what stands between a web page and the admin routes is that the browser runs on
   * this machine: a page of another site can still send a simple POST to 127.0.0.1 (CSRF), or have its
   * own name resolve to 127.0.0.1 (DNS rebinding). So the Host must be a loopback name or address, and
   * an Origin, when a browser sends one, must be that same host. (A token needs neither: a page can
   * send no Authorization header without a CORS preflight, which is never granted.)
   */
  static boolean fromThisMachine(String host, String origin) {
    if (host == null) {
      return origin == null;
    }
    String name = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']')))
        : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
    boolean loopbackName = name.equalsIgnoreCase("localhost")
        || IpLiteral.parse(name).map(InetAddress::isLoopbackAddress).orElse(false);
    return loopbackName && (origin == null || origin.equalsIgnoreCase("http://" + host)
        || origin.equalsIgnoreCase("https://" + host));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
