package dev.dnsgate.rules.block;

import dev.dnsgate.rules.Answers;
import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleKindBase;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.RuleSpec;
import dev.dnsgate.wire.IpLiteral;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code action: block}: answers matched queries without forwarding them. {@code response:} picks
 * the answer: nxdomain (default), nodata, sinkhole (0.0.0.0 / :: for A / AAAA, NODATA otherwise) or
 * refused. Every blocked answer carries Extended DNS Error 15 "Blocked" (RFC 8914) naming the rule.
 */
@ApplicationScoped
public class BlockKind extends RuleKindBase {

  /** TTL of sinkhole records: short, so that unblocking takes effect soon. */
  static final int SINKHOLE_TTL = 60;
  private static final InetAddress SINK_V4 = IpLiteral.parse("0.0.0.0").orElseThrow();
  private static final InetAddress SINK_V6 = IpLiteral.parse("::").orElseThrow();

  enum Response {
    NXDOMAIN,
    NODATA,
    SINKHOLE,
    REFUSED
  }

  public BlockKind() {
    super("block", Phase.BLOCK, Set.of("response"));
  }

  @Override
  public RuleAction build(RuleSpec spec) {
    String text = spec.optionalString("response").orElse("nxdomain");
    Response response;
    try {
      response = Response.valueOf(text.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw spec.error("response", "response must be nxdomain, nodata, sinkhole or refused, not '" + text + "'");
    }
    ExtendedErrorCodeOption ede =
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.BLOCKED, "blocked by rule " + spec.string("name"));
    return query -> new Outcome.Answer(answer(query, response), ede, true);
  }

  private static Message answer(RuleQuery query, Response response) {
    switch (response) {
      case NXDOMAIN:
        return Answers.empty(query, Rcode.NXDOMAIN);
      case REFUSED:
        return Answers.empty(query, Rcode.REFUSED);
      case NODATA:
        return Answers.empty(query, Rcode.NOERROR);
      default:
        Message answer = Answers.empty(query, Rcode.NOERROR);
        if (query.type() == Type.A) {
          answer.addRecord(new ARecord(query.name(), query.dclass(), SINKHOLE_TTL, SINK_V4), Section.ANSWER);
        } else if (query.type() == Type.AAAA) {
          answer.addRecord(new AAAARecord(query.name(), query.dclass(), SINKHOLE_TTL, SINK_V6), Section.ANSWER);
        }
        return answer;
    }
  }

}
