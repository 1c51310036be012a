package dev.dnsgate.testing;

import dev.dnsgate.rules.RuleKind;
import dev.dnsgate.rules.rpz.RpzFeeds;
import dev.dnsgate.rules.rpz.RpzKind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every rule kind of the build, found as CDI finds them (every concrete RuleKind class under
 * dev.dnsgate.rules), for tests that load rules without CDI: a new kind is in them without a test
 * having to list it.
 */
public final class RuleKinds {

  private RuleKinds() {}

  public static List<RuleKind> all() {
    Path root = classesRoot();
    List<RuleKind> kinds = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve("dev/dnsgate/rules"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
        String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type = Class.forName(name);
        if (RuleKind.class.isAssignableFrom(type) && !type.isInterface() && !Modifier.isAbstract(type.getModifiers())) {
          kinds.add(instance(type));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return kinds;
  }

  private static RuleKind instance(Class<?> type) {
    if (type == RpzKind.class) {
      MeterRegistry registry = new SimpleMeterRegistry();
      return new RpzKind(new RpzFeeds(registry), registry);
    }
    try {
      return (RuleKind) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getName() + " has no constructor without arguments; "
          + "give it one or construct it here in testing/RuleKinds", e);
    }
  }

  private static Path classesRoot() {
    try {
      return Path.of(RuleKind.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
