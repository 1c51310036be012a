package dev.dnsgate.access;

import dev.dnsgate.cache.NanoClock;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.config.DnsgateConfig.Access.AnyQueries;
import dev.dnsgate.config.DnsgateConfig.Access.DeniedAction;
import dev.dnsgate.config.DnsgateConfig.Access.RateLimit.LimitAction;
import dev.dnsgate.rules.match.Cidr;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.Responses;
import dev.dnsgate.wire.Transport;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The checks a query passes before any work is spent on it: is the client allowed at all, is it
 * within its rate, and is it an ANY query (answered minimally, RFC 8482, so the proxy is no
 * amplifier). Runs before the rules because its keys must be the packet's source address, not
 * anything the query names.
 */
public final class Gate {

  /** What the gate decided. */
  public enum Admission {
    PASS,
    REFUSED,
    DROP_DENIED,
    TRUNCATED,
    DROP_LIMITED,
    ANY_MINIMAL
  }

  /** RFC 8482 section 4.2: the TTL of the synthesised HINFO. */
  static final long ANY_TTL = 3600;

  private final List<Cidr> allowed;
  private final DeniedAction denied;
  private final RateLimiter limiter;
  private final LimitAction limitAction;
  private final boolean minimalAny;

  public Gate(DnsgateConfig.Access config, NanoClock clock) {
    this.allowed = config.allow().stream().map(Gate::cidr).toList();
    this.denied = config.denied();
    DnsgateConfig.Access.RateLimit rate = config.rateLimit();
    this.limiter = new RateLimiter(rate.qps(), rate.burst(), rate.exempt().stream().map(Gate::cidr).toList(),
        rate.maxTracked(), clock);
    this.limitAction = rate.action();
    this.minimalAny = config.any() == AnyQueries.MINIMAL;
  }

  private static Cidr cidr(String text) {
    try {
      return Cidr.parse(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("dnsgate.access: " + e.getMessage(), e);
    }
  }

  public Admission check(QueryContext ctx) {
    if (ctx.client() != null && !Cidr.anyContains(allowed, ctx.client())) {
      return denied == DeniedAction.REFUSE ? Admission.REFUSED : Admission.DROP_DENIED;
    }
    // Only UDP is limited: a TCP client has completed a handshake, so its address is real.
    if (ctx.transport() == Transport.UDP && !limiter.allow(ctx.client())) {
      return limitAction == LimitAction.TRUNCATE ? Admission.TRUNCATED : Admission.DROP_LIMITED;
    }
    if (minimalAny && ctx.question().getType() == Type.ANY) {
      return Admission.ANY_MINIMAL;
    }
    return Admission.PASS;
  }

  /** The answer for an admission that answers: REFUSED, an empty TC=1 reply, or the RFC 8482 HINFO. */
  public static Message answer(Admission admission, QueryContext ctx) {
    switch (admission) {
      case REFUSED:
        return Responses.error(ctx, Rcode.REFUSED);
      case TRUNCATED:
        Message truncated = Responses.error(ctx, Rcode.NOERROR);
        truncated.getHeader().setFlag(Flags.TC);
        return truncated;
      case ANY_MINIMAL:
        Message any = Responses.error(ctx, Rcode.NOERROR);
        any.addRecord(new HINFORecord(ctx.question().getName(), ctx.question().getDClass(), ANY_TTL, "RFC8482", ""),
            Section.ANSWER);
        return any;
      default:
        throw new IllegalArgumentException(admission + " has no answer");
    }
  }
}
