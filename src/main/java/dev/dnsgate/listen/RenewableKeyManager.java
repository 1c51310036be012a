package dev.dnsgate.listen;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager the DoT and DoH servers are built with once; each handshake asks it for the chain
 * and key, and it hands over those of the current certificate. Renewal is one volatile write: new
 * handshakes get the new certificate at once, established connections keep theirs, and no server is
 * rebuilt (Vert.x 4.5's updateSSLOptions failed connections that arrived while it rebuilt, seen in
 * DotListenerEndToEndTest under load).
 *
 * <p>A handshake asks for an alias first and then, in two more calls, for the chain and the key of
 * that alias. The alias handed out carries the generation of the certificate, so that a handshake
 * during a renewal gets the chain and key of one certificate, never one of each.
 */
final class RenewableKeyManager extends X509ExtendedKeyManager {

  private record Generation(int number, X509ExtendedKeyManager keys) {}

  private volatile Generation current;
  private volatile Generation previous;

  RenewableKeyManager(X509ExtendedKeyManager first) {
    this.current = new Generation(0, first);
    this.previous = current;
  }

  void use(X509ExtendedKeyManager next) {
    Generation now = current;
    previous = now;
    current = new Generation(now.number() + 1, next);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    Generation g = current;
    return tagged(g, g.keys().chooseEngineServerAlias(keyType, issuers, engine));
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    Generation g = current;
    return tagged(g, g.keys().chooseServerAlias(keyType, issuers, socket));
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    Generation g = current;
    String[] aliases = g.keys().getServerAliases(keyType, issuers);
    if (aliases != null) {
      for (int i = 0; i < aliases.length; i++) {
        aliases[i] = tagged(g, aliases[i]);
      }
    }
    return aliases;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Generation g = generationOf(alias);
    return g == null ? null : g.keys().getCertificateChain(untagged(alias));
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Generation g = generationOf(alias);
    return g == null ? null : g.keys().getPrivateKey(untagged(alias));
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null; // a server: never asked to authenticate as a client
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  private static String tagged(Generation g, String alias) {
    return alias == null ? null : g.number() + ":" + alias;
  }

  private static String untagged(String alias) {
    return alias.substring(alias.indexOf(':') + 1);
  }

  /** The generation named in an alias: the current or the one before; older handshakes do not last that long. */
  private Generation generationOf(String alias) {
    int colon = alias == null ? -1 : alias.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    int number = Integer.parseInt(alias.substring(0, colon));
    Generation now = current;
    Generation before = previous;
    return now.number() == number ? now : before.number() == number ? before : null;
  }
}
