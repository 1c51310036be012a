package dev.dnsgate.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Refuses to start on a configuration that cannot be right: one line per mistake and a non-zero exit.
 * The first start-up observer, so nothing has been built from the configuration yet.
 */
@ApplicationScoped
class StartupValidation {

  private final DnsgateConfig config;
  private final Config raw;

  StartupValidation(DnsgateConfig config, Config raw) {
    this.config = config;
    this.raw = raw;
  }

  void check(@Observes @Priority(1) StartupEvent event) {
    String host = raw.getOptionalValue("quarkus.http.host", String.class).orElse("127.0.0.1");
    List<String> problems = new ConfigValidator(config, this::written, host).problems();
    if (!problems.isEmpty()) {
      // Quarkus prints a ConfigurationException's message alone (no stack trace) and exits with 1.
      throw new ConfigurationException(problems.stream().map(p -> "invalid configuration: " + p)
          .collect(Collectors.joining("\n")));
    }
  }

  private String written(String key) {
    ConfigValue value = raw.getConfigValue(key);
    return value == null ? null : value.getRawValue();
  }
}
