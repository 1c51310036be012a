package dev.dnsgate.rules;

import io.micrometer.core.instrument.Counter;
import java.util.function.Supplier;

/**
 * Which policy record of a policy zone (RPZ) decided a query, for the query log, explanations and
 * the per-zone hit counters. The record's text is built only when asked for (explain), never per
 * query: a million-name feed answers at block-list speed only without string work per answer.
 */
public final class PolicyMatch {

  private final String zone;
  private final String trigger;
  private final String detail;
  private final Counter hits;
  private final Supplier<String> record;

  /**
   * @param zone the policy zone's name
   * @param trigger qname, client-ip or response-ip
   * @param detail the constant text for logs: rule, zone, trigger and action
   * @param hits the zone's hit counter for this trigger and action; counted by the query path only
   * @param record makes the deciding policy record as zone-file text (owner and action)
   */
  public PolicyMatch(String zone, String trigger, String detail, Counter hits, Supplier<String> record) {
    this.zone = zone;
    this.trigger = trigger;
    this.detail = detail;
    this.hits = hits;
    this.record = record;
  }

  public String zone() {
    return zone;
  }

  public String trigger() {
    return trigger;
  }

  /** "malware (rpz) zone malware.rpz, qname trigger, nxdomain": what the query log shows. */
  public String detail() {
    return detail;
  }

  public Counter hits() {
    return hits;
  }

  /** The policy record, e.g. "*.bad.example.malware.rpz. CNAME ."; built on each call. */
  public String record() {
    return record.get();
  }

  /** "zone malware.rpz, qname trigger: *.bad.example.malware.rpz. CNAME .", for explanations. */
  public String describe() {
    return "zone " + zone + ", " + trigger + " trigger: " + record();
  }
}
