package dev.dnsgate.wire;

import java.net.IDN;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Names as people write them (rule files, hosts files, HTTP parameters): absolute, and with
 * internationalised labels turned into A-labels, so that "bücher.example" and
 * "xn--bcher-kva.example" are the same name everywhere.
 */
public final class DomainName {

  private DomainName() {}

  /** @throws IllegalArgumentException saying why {@code text} is not a valid name */
  public static Name parse(String text) {
    try {
      return Name.fromString(IDN.toASCII(text, IDN.ALLOW_UNASSIGNED), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
