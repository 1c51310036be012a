package dev.dnsgate;

import dev.dnsgate.whatif.WhatIfCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The jar's entry point: {@code what-if ...} runs the rule what-if command and exits, without
 * starting Quarkus (no listener, no upstream, no HTTP port); anything else starts the server as the
 * generated main would.
 */
@QuarkusMain
public final class Main {

  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("what-if")) {
      System.exit(WhatIfCommand.run(Arrays.asList(args).subList(1, args.length), System.out, System.err));
    }
    Quarkus.run(args);
  }
}
