package dev.dnsgate.dnssec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.dnsgate.upstream.Validation;
import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The latest validation result per name, type and group, bounded, for explain: what the validator
 * said about a name and why, without sending a query.
 */
public final class RecentResults {

  /** One result, and when it was reached. */
  public record Result(Validation validation, Instant at) {}

  private record Key(Name name, int type, String group) {}

  private final Cache<Key, Result> results =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build();

  void remember(Record question, String group, Validation validation) {
    results.put(new Key(question.getName(), question.getType(), group), new Result(validation, Instant.now()));
  }

  Result latest(Name name, int type, String group) {
    return results.getIfPresent(new Key(name, type, group));
  }
}
