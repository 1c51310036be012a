package dev.dnsgate.wire;

import java.util.Locale;

/**
 * The name a client gives itself (as in AdGuard Home's ClientID and Blocky's client names): the first
 * label of the TLS server name it asks for ({@code laptop.dns.example.org} under a wildcard
 * certificate for {@code *.dns.example.org}), or the last segment of its DoH path ({@code
 * /dns-query/laptop}). Only a single DNS label is accepted: 1 to 63 letters, digits and hyphens, not
 * starting or ending with a hyphen, compared in lower case. Names are for rules and the query log,
 * never for metric labels (a client could mint any number of them).
 */
public final class ClientName {

  public static final int MAX_LENGTH = 63;

  private ClientName() {}

  /** The name in lower case, or null when {@code text} is not a valid client name. */
  public static String valid(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return null;
    }
    String name = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i < name.length() - 1);
      if (!ok) {
        return null;
      }
    }
    return name;
  }

  /**
   * The client name in a TLS server name (SNI): its first label when the rest is exactly {@code
   * serverName}; null when there is none, the server name is not configured, or the label is invalid.
   */
  public static String fromServerName(String sni, String serverName) {
    if (sni == null || serverName == null || serverName.isEmpty()) {
      return null;
    }
    String suffix = "." + serverName;
    if (sni.length() <= suffix.length() || !sni.regionMatches(true, sni.length() - suffix.length(), suffix, 0, suffix.length())) {
      return null;
    }
    return valid(sni.substring(0, sni.length() - suffix.length()));
  }
}
