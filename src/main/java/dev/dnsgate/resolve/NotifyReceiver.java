package dev.dnsgate.resolve;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * Who takes a DNS NOTIFY (RFC 1996) that arrives on the listeners: the zone-transfer sources of
 * policy zones. The pipeline only routes; the receiver decides whether the sender may notify.
 */
public interface NotifyReceiver {

  /**
   * A primary says {@code zone} changed.
   *
   * @return NOERROR when {@code from} is the primary of that zone (a transfer is scheduled),
   *     REFUSED (org.xbill.DNS.Rcode) for anyone or any zone else
   */
  int notified(Name zone, InetAddress from);
}
