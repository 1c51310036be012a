package dev.dnsgate.dnssec;

import dev.dnsgate.cache.AnswerCache;
import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.upstream.Upstream;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Name;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The seam where validation plugs into forwarding: {@link #wrap} turns the upstream groups into
 * validating ones (those not listed in {@code dnsgate.dnssec.skip-groups}) when
 * {@code dnsgate.dnssec.validate} is on, and leaves them as they are otherwise. Owns what the
 * validators share: the anchors, the limits, the pool that checks signatures, the meters.
 */
@Singleton
public class DnssecValidation {

  private final DnsgateConfig.Dnssec settings;
  private final DnssecMeters meters;
  private final RecentResults recent = new RecentResults();
  private final NegativeAnchors negativeAnchors;
  private final Set<String> skipGroups;
  private ExecutorService pool;

  public DnssecValidation(DnsgateConfig config, MeterRegistry registry) {
    this.settings = config.dnssec();
    this.meters = new DnssecMeters(registry);
    this.negativeAnchors = NegativeAnchors.parse(settings.negativeAnchors().orElse(List.of()));
    this.skipGroups = Set.copyOf(settings.skipGroups().orElse(List.of()));
  }

  /**
   * The groups as the Forwarder should use them.
   *
   * @param cache the answer cache, for the validators' DNSKEY and DS lookups; null when caching is off
   */
  public Map<String, Upstream> wrap(Map<String, ? extends Upstream> groups, AnswerCache cache) {
    Map<String, Upstream> wrapped = new LinkedHashMap<>(groups);
    if (!settings.validate()) {
      return wrapped;
    }
    VerifiedSignatures.install();
    groups.forEach((name, group) -> {
      if (!skipGroups.contains(name)) {
        HeadResolver head = new HeadResolver(group, name, cache, settings.maxLookups(), settings.maxSignatureChecks());
        wrapped.put(name, new ValidatingUpstream(group, name, validator(head), negativeAnchors, pool(),
            settings.maxLookups(), meters, recent));
      }
    });
    return wrapped;
  }

  private synchronized ExecutorService pool() {
    if (pool == null) {
      AtomicInteger count = new AtomicInteger();
      pool = Executors.newFixedThreadPool(settings.threads(), task -> {
        Thread thread = new Thread(task, "dnsgate-dnssec-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
    }
    return pool;
  }

  private ValidatingResolver validator(HeadResolver head) {
    ValidatingResolver validator = new ValidatingResolver(head);
    Properties limits = new Properties();
    limits.setProperty("dnsjava.dnssec.max_validate_rrsigs", Integer.toString(settings.maxSignatureChecks()));
    limits.setProperty("dnsjava.dnssec.max_ds_match_failures", Integer.toString(settings.maxDsMatchFailures()));
    limits.setProperty("dnsjava.dnssec.keycache.max_ttl", Long.toString(settings.keyCacheMaxTtl().toSeconds()));
    try {
      validator.init(limits);
      validator.loadTrustAnchors(new ByteArrayInputStream(
          TrustAnchors.text(settings.anchorFile(), settings.anchorMode()).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("dnsgate.dnssec.anchor-file: " + e.getMessage(), e);
    }
    validator.setAddReasonToAdditional(true); // read and removed by Verdict, for explain and EDE text
    return validator;
  }

  /** Whether answers of {@code group} for {@code name} are validated, and if not, why. */
  public String coverage(Name name, String group) {
    if (!settings.validate()) {
      return "off (dnsgate.dnssec.validate: false)";
    }
    if (skipGroups.contains(group)) {
      return "off for group '" + group + "' (dnsgate.dnssec.skip-groups)";
    }
    Name negative = negativeAnchors.covering(name);
    return negative != null ? "off below negative trust anchor " + negative : "on";
  }

  /** The latest validation of this name, type and group, or null. */
  public RecentResults.Result latest(Name name, int type, String group) {
    return recent.latest(name, type, group);
  }

  @PreDestroy
  synchronized void close() {
    if (pool != null) {
      pool.shutdownNow();
      VerifiedSignatures.uninstall();
    }
  }
}
