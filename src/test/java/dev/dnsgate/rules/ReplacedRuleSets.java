package dev.dnsgate.rules;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;

/** A test bean that keeps the last {@link RulesReplaced} event, to check that reloads announce themselves. */
@Singleton
public class ReplacedRuleSets {

  private final AtomicReference<RulesReplaced> last = new AtomicReference<>();

  void replaced(@Observes RulesReplaced event) {
    last.set(event);
  }

  public RulesReplaced last() {
    return last.get();
  }
}
