package dev.dnsgate.testing;

import dev.dnsgate.wire.Decoded;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.QueryDecoder;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.Transport;
import java.net.InetAddress;
import org.xbill.DNS.Message;

/** Queries as the pipeline sees them: a client's message decoded the way the listeners decode it. */
public final class Queries {

  /** The default UDP payload size (dnsgate.listen.udp-payload-size). */
  public static final int PAYLOAD = 1232;
  private static final QueryDecoder DECODER = new QueryDecoder(PAYLOAD, new ResponseShaper(PAYLOAD));

  private Queries() {}

  /** The context of {@code query} sent over UDP from loopback. */
  public static QueryContext context(Message query) {
    return context(query, Transport.UDP);
  }

  /** The context of {@code query} sent over {@code transport} from loopback; fails if it is not a query. */
  public static QueryContext context(Message query, Transport transport) {
    Decoded decoded = DECODER.decode(query.toWire(), transport, InetAddress.getLoopbackAddress());
    if (!(decoded instanceof Decoded.Query q)) {
      throw new IllegalArgumentException("not a query the decoder accepts: " + decoded);
    }
    return q.context();
  }
}
