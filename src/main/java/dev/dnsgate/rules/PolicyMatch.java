package dev.dnsgate.rules;

import io.micrometer.core.instrument.Counter;

/**
 * Which policy record of a policy zone (RPZ) decided a query, for the query log, explanations and
 * the per-zone hit counters.
 *
 * @param zone the policy zone's name
 * @param trigger qname, client-ip or response-ip
 * @param record the deciding policy record as zone-file text (owner and action)
 * @param hits the zone's hit counter for this trigger and action; counted by the query path only
 */
public record PolicyMatch(String zone, String trigger, String record, Counter hits) {

  /** One line for logs: "zone malware.rpz, qname trigger: *.bad.example.malware.rpz. CNAME .". */
  public String describe() {
    return "zone " + zone + ", " + trigger + " trigger: " + record;
  }
}
