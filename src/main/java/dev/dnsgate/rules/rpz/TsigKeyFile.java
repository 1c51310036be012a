package dev.dnsgate.rules.rpz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key in the file format BIND's tsig-keygen writes and feed vendors hand out:
 *
 * <pre>
 * key "feed-key" {
 *   algorithm hmac-sha256;
 *   secret "base64...";
 * };
 * </pre>
 */
final class TsigKeyFile {

  private static final Pattern KEY = Pattern.compile(
      "key\\s+\"?([A-Za-z0-9._-]+)\"?\\s*\\{(.*?)\\}\\s*;", Pattern.DOTALL);
  private static final Pattern ALGORITHM = Pattern.compile("algorithm\\s+\"?([A-Za-z0-9.-]+)\"?\\s*;");
  private static final Pattern SECRET = Pattern.compile("secret\\s+\"([A-Za-z0-9+/=\\s]+)\"\\s*;");

  private TsigKeyFile() {}

  /**
   * @param name the key's name, for status output (never the secret)
   * @param fingerprint stands for name, algorithm and secret: an edited key file makes a new source
   */
  record Key(TSIG tsig, String name, String fingerprint) {}

  /** @throws IllegalArgumentException with a one-line reason when the file holds no usable key */
  static Key read(Path file) throws IOException {
    String text = Files.readString(file);
    Matcher key = KEY.matcher(text);
    if (!key.find()) {
      throw new IllegalArgumentException("no 'key \"name\" { algorithm ...; secret \"...\"; };' in " + file);
    }
    Matcher algorithm = ALGORITHM.matcher(key.group(2));
    Matcher secret = SECRET.matcher(key.group(2));
    if (!algorithm.find() || !secret.find()) {
      throw new IllegalArgumentException("key " + key.group(1) + " in " + file + " needs an algorithm and a secret");
    }
    Name algorithmName = TSIG.algorithmToName(algorithm.group(1).toLowerCase());
    try {
      Name keyName = Name.fromString(key.group(1), Name.root);
      String secretText = secret.group(1).replaceAll("\\s", "");
      return new Key(new TSIG(algorithmName, keyName, secretText), key.group(1),
          Integer.toHexString((keyName + "|" + algorithmName + "|" + secretText).hashCode()));
    } catch (TextParseException | RuntimeException e) {
      throw new IllegalArgumentException("key " + key.group(1) + " in " + file + ": " + e.getMessage());
    }
  }
}
