package dev.dnsgate.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Start-up refuses with Quarkus's ConfigurationException, whose message Quarkus prints alone (no
 * stack trace) before exiting with 1: one "invalid configuration: key=value: allowed" line each.
 */
class StartupValidationTest {

  static StartupValidation startup(Map<String, String> overrides) throws IOException {
    SmallRyeConfig config = new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .addDefaultSources()
        .withConverter(Duration.class, 200, new DurationConverter())
        .withMapping(DnsgateConfig.class)
        .withSources(new YamlConfigSource(StartupValidationTest.class.getResource("/application.yaml"), 250))
        .withSources(new PropertiesConfigSource(overrides, "test", 500))
        .build();
    return new StartupValidation(config.getConfigMapping(DnsgateConfig.class), config);
  }

  @Test
  void badValuesStopStartUpWithOneLineEach() throws IOException {
    StartupValidation startup = startup(Map.of("dnsgate.listen.address", "999.1.1.1",
        "dnsgate.upstream.attempt-timeout", "-2s"));

    ConfigurationException refused = assertThrows(ConfigurationException.class, () -> startup.check(null));

    assertEquals(List.of(
            "invalid configuration: dnsgate.listen.address=999.1.1.1: must be an IP address, e.g. 127.0.0.1, 0.0.0.0 or ::",
            "invalid configuration: dnsgate.upstream.attempt-timeout=-2s: must be a duration above zero, such as 500ms, 2s or 5m"),
        refused.getMessage().lines().toList());
  }

  @Test
  void theContainerHostWithoutATokenIsRefusedWithATokenItStarts() throws IOException {
    StartupValidation withoutToken = startup(Map.of("quarkus.http.host", "0.0.0.0"));
    StartupValidation withToken = startup(Map.of("quarkus.http.host", "0.0.0.0", "dnsgate.admin.token", "t0ken"));

    assertThrows(ConfigurationException.class, () -> withoutToken.check(null));
    assertDoesNotThrow(() -> withToken.check(null));
  }
}
