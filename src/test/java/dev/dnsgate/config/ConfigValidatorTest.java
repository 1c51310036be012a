package dev.dnsgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of configuration mistake is one line naming the key, the value as written and what is
 * allowed. The mapping is built as Quarkus builds it: application.yaml's defaults, then overrides.
 */
class ConfigValidatorTest {

  @TempDir Path dir;

  static List<String> problems(Map<String, String> overrides, String httpHost) throws IOException {
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .addDefaultSources()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withMapping(DnsgateConfig.class)
        .withSources(new YamlConfigSource(ConfigValidatorTest.class.getResource("/application.yaml"), 250))
        .withSources(new PropertiesConfigSource(overrides, "test", 500))
        .build();
    return new ConfigValidator(config.getConfigMapping(DnsgateConfig.class),
        key -> config.getConfigValue(key).getRawValue(), httpHost).problems();
  }

  static List<String> problems(Map<String, String> overrides) throws IOException {
    return problems(overrides, "127.0.0.1");
  }

  @Test
  void theShippedDefaultsAreValid() throws IOException {
    assertEquals(List.of(), problems(Map.of()));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      // whole numbers out of range
      "dnsgate.cache.max-entries|-5|dnsgate.cache.max-entries=-5: must be a whole number from 1 to 100000000",
      "dnsgate.cache.max-entries|200000000|dnsgate.cache.max-entries=200000000: must be a whole number from 1 to 100000000",
      "dnsgate.listen.tcp.max-connections|0|dnsgate.listen.tcp.max-connections=0: must be a whole number of at least 1",
      "dnsgate.access.rate-limit.qps|-1|dnsgate.access.rate-limit.qps=-1: must be a whole number of at least 0",
      "dnsgate.listen.port|70000|dnsgate.listen.port=70000: must be a whole number from 0 to 65535",
      "dnsgate.upstream.max-in-flight-per-connection|70000|dnsgate.upstream.max-in-flight-per-connection=70000: must be a whole number from 1 to 65535",
      "dnsgate.admin.recent.size|0|dnsgate.admin.recent.size=0: must be a whole number from 1 to 1000000",
      // durations
      "dnsgate.upstream.attempt-timeout|-2s|dnsgate.upstream.attempt-timeout=-2s: must be a duration above zero",
      "dnsgate.rules.reload-interval|0s|dnsgate.rules.reload-interval=0s: must be a duration above zero",
      "dnsgate.listen.shutdown-grace|-1s|dnsgate.listen.shutdown-grace=-1s: must be a duration of zero or more",
      "dnsgate.cache.servfail-ttl|10m|dnsgate.cache.servfail-ttl=10m: must be at most 5m (RFC 2308 section 7.1)",
      // fractions
      "dnsgate.query-log.sample|1.5|dnsgate.query-log.sample=1.5: must be a fraction from 0.0 to 1.0",
      // addresses, networks, servers
      "dnsgate.listen.address|999.1.1.1|dnsgate.listen.address=999.1.1.1: must be an IP address",
      "dnsgate.listen.address|localhost|dnsgate.listen.address=localhost: must be an IP address",
      "dnsgate.access.allow|10.0.0.0/33|dnsgate.access.allow=10.0.0.0/33: each entry must be an IP address or network",
      "dnsgate.upstream.servers|1.1.1.1:853|dnsgate.upstream.servers: '1.1.1.1:853' has no TLS name",
      "dnsgate.upstream.spki-pins.\"dot.test\"|not-a-pin|dnsgate.upstream.spki-pins.\"dot.test\"=not-a-pin: each pin must be the base64 SHA-256",
      // paths that must exist
      "dnsgate.rules.dir|no-such-rules-folder|dnsgate.rules.dir=no-such-rules-folder: must be a folder that exists",
      "dnsgate.upstream.ca-file|/no/such/ca.pem|dnsgate.upstream.ca-file=/no/such/ca.pem: must be a readable file",
      "dnsgate.admin.token-file|/no/such/token|dnsgate.admin.token-file=/no/such/token: must be a readable file",
  })
  void eachMistakeIsOneLineWithKeyValueAndWhatIsAllowed(String key, String value, String expected) throws IOException {
    List<String> problems = problems(Map.of(key, value));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith(expected), problems.get(0));
    assertTrue(!problems.get(0).contains("\n") && !problems.get(0).endsWith(": null"), problems.get(0));
  }

  @Test
  void aCacheOfMoreThanHalfTheHeapIsRefusedBeforeItIsAllocated() throws IOException {
    long heap = Runtime.getRuntime().maxMemory();
    List<String> problems = problems(Map.of("dnsgate.cache.max-bytes", String.valueOf(heap)));

    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("dnsgate.cache.max-bytes=" + heap + ": is allocated at start: the cache ("
        + (heap >> 20) + " MB)"), problems.get(0));
    assertEquals(List.of(), problems(Map.of("dnsgate.cache.max-bytes", String.valueOf(heap),
        "dnsgate.cache.enabled", "false")));
  }

  @Test
  void relatedKeysAreCheckedTogether() throws IOException {
    assertEquals(List.of("dnsgate.cache.max-ttl=10: must be a whole number of at least 60"),
        problems(Map.of("dnsgate.cache.min-ttl", "60", "dnsgate.cache.max-ttl", "10")));
    assertEquals(List.of("dnsgate.admin.stats.buckets=100000: must be a whole number from 1 to 10000"),
        problems(Map.of("dnsgate.admin.stats.buckets", "100000")));
    assertTrue(problems(Map.of("dnsgate.admin.stats.window", "10s", "dnsgate.admin.stats.buckets", "100")).get(0)
        .startsWith("dnsgate.admin.stats.buckets=100: must leave buckets of at least 1s"));
  }

  @Test
  void everyMistakeIsReportedNotJustTheFirst() throws IOException {
    assertEquals(3, problems(Map.of("dnsgate.cache.max-entries", "-5", "dnsgate.listen.tcp.max-connections", "0",
        "dnsgate.access.rate-limit.qps", "-1")).size());
  }

  @Test
  void adminReachableBeyondLoopbackNeedsAToken() throws IOException {
    List<String> refused = problems(Map.of(), "0.0.0.0");
    assertEquals(1, refused.size());
    assertTrue(refused.get(0).startsWith("dnsgate.admin.token: required because quarkus.http.host=0.0.0.0"), refused.get(0));

    assertEquals(List.of(), problems(Map.of("dnsgate.admin.token", "k8s-secret"), "0.0.0.0"));
    assertEquals(List.of(), problems(Map.of("dnsgate.admin.enabled", "false"), "0.0.0.0"), "probes and metrics only");
    assertEquals(List.of(), problems(Map.of(), "::1"));
    assertEquals(List.of(), problems(Map.of(), "localhost"));
  }

  @Test
  void tokenFileMustHoldATokenAndNotCompeteWithTheToken() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path token = Files.writeString(dir.resolve("token"), "from-a-secret\n");

    assertEquals(List.of("dnsgate.admin.token-file=" + empty + ": must hold the token, and is empty"),
        problems(Map.of("dnsgate.admin.token-file", empty.toString()), "0.0.0.0"));
    assertEquals(List.of(), problems(Map.of("dnsgate.admin.token-file", token.toString()), "0.0.0.0"));
    assertTrue(problems(Map.of("dnsgate.admin.token-file", token.toString(), "dnsgate.admin.token", "x")).get(0)
        .contains("must not be set together with dnsgate.admin.token"));
  }
}
