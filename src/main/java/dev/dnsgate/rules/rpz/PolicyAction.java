package dev.dnsgate.rules.rpz;

import org.xbill.DNS.Name;

/** The actions of draft-vixie-dnsop-dns-rpz, each written as a CNAME target in the policy zone. */
enum PolicyAction {
  /** {@code CNAME .}: the name does not exist. */
  NXDOMAIN("nxdomain", "."),
  /** {@code CNAME *.}: the name exists, without data of the asked type. */
  NODATA("nodata", "*."),
  /** {@code CNAME rpz-passthru.}: no later policy applies; resolved as usual. */
  PASSTHRU("passthru", "rpz-passthru."),
  /** {@code CNAME rpz-drop.}: no answer at all. */
  DROP("drop", "rpz-drop."),
  /** {@code CNAME rpz-tcp-only.}: TC=1 over UDP, resolved as usual over TCP. */
  TCP_ONLY("tcp-only", "rpz-tcp-only."),
  /** Any other records: they replace the answer (a walled garden's address, say). */
  LOCAL_DATA("local-data", null);

  private final String label;
  private final Name target;

  PolicyAction(String label, String target) {
    this.label = label;
    this.target = target == null ? null : Name.fromConstantString(target);
  }

  /** Metric label and explanation word. */
  String label() {
    return label;
  }

  /** The action a CNAME to {@code target} stands for, or LOCAL_DATA for an ordinary CNAME. */
  static PolicyAction ofCnameTarget(Name target) {
    for (PolicyAction action : values()) {
      if (target.equals(action.target)) {
        return action;
      }
    }
    return LOCAL_DATA;
  }

  /** The record's text as a zone file shows it, e.g. "CNAME ." */
  String rdataText() {
    return "CNAME " + target;
  }
}
