package dev.dnsgate.rules.allow;

import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleKindBase;
import dev.dnsgate.rules.RuleSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code action: allow}: a matched query skips every block rule (an allowlist), then goes on to local
 * answers and forwarding as usual.
 */
@ApplicationScoped
public class AllowKind extends RuleKindBase {

  public AllowKind() {
    super("allow", Phase.ALLOW, Set.of());
  }

  @Override
  public RuleAction build(RuleSpec spec) {
    return query -> Outcome.CONTINUE;
  }
}
