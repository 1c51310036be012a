package dev.dnsgate.rules.forward;

import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleKindBase;
import dev.dnsgate.rules.RuleSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code action: forward}: conditional forwarding. {@code upstream:} names a group configured under
 * {@code dnsgate.upstream.groups}; an unknown name is an error when the rules load, not at query time.
 */
@ApplicationScoped
public class ForwardKind extends RuleKindBase {

  public ForwardKind() {
    super("forward", Phase.FORWARD, Set.of("upstream"));
  }

  @Override
  public RuleAction build(RuleSpec spec) {
    String group = spec.string("upstream");
    Set<String> known = spec.environment().upstreamGroups();
    if (!known.contains(group)) {
      throw spec.error("upstream", "no upstream group '" + group + "' (configured: "
          + String.join(", ", new TreeSet<>(known)) + "; add dnsgate.upstream.groups." + group + ".servers)");
    }
    Outcome.Forward forward = new Outcome.Forward(group);
    return query -> forward;
  }
}
