package dev.dnsgate.wire;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.OPTRecord;

/** EDNS option handling shared by the client side and the upstream side of the proxy. */
public final class EdnsOptions {

  private EdnsOptions() {}

  /**
   * Options that describe one hop (RFC 7830 padding, RFC 7828 keepalive, RFC 7873 cookies) must not
   * cross the proxy: the client's cookie means nothing to the upstream and the reverse.
   */
  public static boolean isHopByHop(int code) {
    return code == EDNSOption.Code.PADDING
        || code == EDNSOption.Code.TCP_KEEPALIVE
        || code == EDNSOption.Code.COOKIE;
  }

  /** The end-to-end options of an OPT record, in their order; empty when there is no OPT. */
  public static List<EDNSOption> endToEnd(OPTRecord opt) {
    List<EDNSOption> kept = new ArrayList<>();
    if (opt == null) {
      return kept;
    }
    for (EDNSOption option : opt.getOptions()) {
      if (!isHopByHop(option.getCode())) {
        kept.add(option);
      }
    }
    return kept;
  }
}
