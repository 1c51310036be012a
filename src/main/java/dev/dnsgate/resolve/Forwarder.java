package dev.dnsgate.resolve;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.cache.CacheEntry;
import dev.dnsgate.cache.CacheKey;
import dev.dnsgate.cache.Coalescer;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.upstream.OutboundQuery;
import dev.dnsgate.upstream.Upstream;
import dev.dnsgate.upstream.UpstreamAnswer;
import dev.dnsgate.upstream.UpstreamException;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.ResponseShaper;
import dev.dnsgate.wire.Responses;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * What no rule answers: the cache, then the rule's upstream group, identical misses coalesced into
 * one exchange; serve-stale (EDE 3) or SERVFAIL with EDE 23 when no upstream answers. A class of its
 * own so that the warm-up runs this very code on a cache and a group of its own (dev.dnsgate.warmup).
 */
public final class Forwarder {

  private final Map<String, Upstream> groups;
  private final AnswerCache cache;
  private final boolean caching;
  private final ResponseShaper shaper;
  private final Coalescer<Fetched> coalescer = new Coalescer<>();

  /**
   * @param groups the upstream of each group name: an interface, so that a validator can wrap one
   * @param caching false: every query goes upstream, and {@code cache} is not used
   */
  public Forwarder(Map<String, ? extends Upstream> groups, AnswerCache cache, boolean caching, ResponseShaper shaper) {
    this.groups = Map.copyOf(groups);
    this.cache = cache;
    this.caching = caching;
    this.shaper = shaper;
  }

  /** One upstream exchange as every coalesced query sees it: the answer, and its cache entry if stored. */
  private record Fetched(UpstreamAnswer answer, CacheEntry entry) {}

  /**
   * The answer for a query the rules forward to {@code groupName}: cache first (fast path unless
   * rewritten), then one coalesced exchange; stale or SERVFAIL on failure.
   */
  public CompletableFuture<Answer> answer(String groupName, RuleQuery query, QueryContext ctx) {
    Upstream group = groups.get(groupName);
    Record asked = query.rewritten() ? Record.newRecord(query.name(), query.type(), query.dclass()) : ctx.question();
    AnswerSource upstreamSource = query.rewritten() ? AnswerSource.REWRITTEN : AnswerSource.UPSTREAM;
    if (!caching) {
      return group.resolve(OutboundQuery.from(ctx, asked, group.padding())).handle((answer, error) ->
          error == null
              ? Answer.of(query.revert(answer.message()), upstreamSource, groupName, null)
                  .validated(answer.validation())
              : networkError(ctx, UpstreamException.of(error)));
    }
    CacheKey key = new CacheKey(asked.getName(), asked.getType(), asked.getDClass(), ctx.dnssecOk(),
        ctx.query().getHeader().getFlag(Flags.CD), groupName);
    if (!query.rewritten()) {
      AnswerCache.Ready ready = cache.freshReady(key, ctx, shaper);
      if (ready != null) {
        prefetchIfDue(ready.prefetchDue(), key, group, ctx, asked);
        return CompletableFuture.completedFuture(
            Answer.ready(ready.wire(), ready.rcode(), AnswerSource.CACHE, groupName).validated(ready.validation()));
      }
    } else {
      AnswerCache.Hit hit = cache.fresh(key);
      if (hit != null) {
        prefetchIfDue(hit.prefetchDue(), key, group, ctx, asked);
        return CompletableFuture.completedFuture(
            Answer.of(query.revert(hit.message()), AnswerSource.CACHE, groupName, null).validated(hit.validation()));
      }
    }
    return fetch(key, group, ctx, asked).handle((fetched, error) -> {
      if (error == null) {
        if (fetched.entry() != null && !query.rewritten()) {
          // served from the entry just stored, like a hit: no parsing or encoding per client
          AnswerCache.Ready ready = cache.ready(fetched.entry(), ctx, shaper);
          return Answer.ready(ready.wire(), ready.rcode(), upstreamSource, groupName)
              .validated(fetched.answer().validation());
        }
        return Answer.of(query.revert(fetched.answer().message().clone()), upstreamSource, groupName, null)
            .validated(fetched.answer().validation());
      }
      Message stale = cache.stale(key);
      if (stale != null) {
        return Answer.of(query.revert(stale), AnswerSource.STALE, groupName,
            new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER, "upstreams failed; stale answer"));
      }
      return networkError(ctx, UpstreamException.of(error));
    });
  }

  private void prefetchIfDue(boolean due, CacheKey key, Upstream group, QueryContext ctx, Record asked) {
    if (due) {
      fetch(key, group, ctx, asked).whenComplete((m, e) -> cache.prefetchDone(key));
    }
  }

  /** One upstream exchange per key at a time; the answer is cached before anyone sees it. */
  private CompletableFuture<Fetched> fetch(CacheKey key, Upstream group, QueryContext ctx, Record asked) {
    return coalescer.resolve(key, () -> group.resolve(OutboundQuery.from(ctx, asked, group.padding()))
        .thenApply(answer -> new Fetched(answer, cache.put(key, answer))));
  }

  /** RFC 8914 code 23: no upstream could be reached, said in words a person can act on. */
  private static Answer networkError(QueryContext ctx, UpstreamException error) {
    String text = "no upstream answered: " + error.getMessage();
    return Answer.of(
        Responses.error(ctx, Rcode.SERVFAIL),
        AnswerSource.FAILED,
        text,
        new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NETWORK_ERROR, truncated(text)));
  }

  /** EDE text is for people, but an unbounded one would eat the client's UDP size budget. */
  private static String truncated(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120);
  }

  /** Identical misses that joined an exchange already in flight. */
  public Coalescer<?> coalescer() {
    return coalescer;
  }
}
