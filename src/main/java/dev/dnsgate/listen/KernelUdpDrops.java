package dev.dnsgate.listen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Datagrams the kernel dropped for our UDP port because the socket buffer was full: the part of a
 * flood that never reaches the JVM, read from /proc/net/udp{,6} (last column: drops). Zero where
 * /proc is not there.
 */
final class KernelUdpDrops {

  private static final List<Path> TABLES = List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6"));

  private KernelUdpDrops() {}

  static long forPort(int port) {
    String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
    long drops = 0;
    for (Path table : TABLES) {
      try {
        for (String line : Files.readAllLines(table)) {
          String[] fields = line.trim().split("\\s+");
          if (fields.length > 12 && fields[1].endsWith(hexPort)) {
            drops += Long.parseLong(fields[fields.length - 1]);
          }
        }
      } catch (IOException | NumberFormatException e) {
        // not Linux, or a format we do not know: report what we could read
      }
    }
    return drops;
  }
}
