package dev.dnsgate.rules.rpz;

/**
 * Where a policy record looks, from its owner name: the query name (exact or {@code *.}), the
 * client's address ({@code rpz-client-ip}), an address in the upstream's answer ({@code rpz-ip}).
 * NSDNAME and NSIP triggers name the authoritative servers met while recursing, which a forwarder
 * never sees: such records are skipped and counted.
 */
enum TriggerKind {
  QNAME("qname"),
  WILDCARD("qname"),
  CLIENT_IP("client-ip"),
  RESPONSE_IP("response-ip");

  private final String label;

  TriggerKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
