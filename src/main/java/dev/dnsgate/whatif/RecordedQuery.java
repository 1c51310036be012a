package dev.dnsgate.whatif;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * A query as recorded (query log line, dev-mode ring): enough to run it through rules again.
 *
 * @param client null when not recorded
 */
public record RecordedQuery(Name name, int type, InetAddress client) {}
