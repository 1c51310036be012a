package dev.dnsgate.rules.local;

import dev.dnsgate.rules.RuleFileException;
import dev.dnsgate.rules.RuleSpec;
import dev.dnsgate.wire.DomainName;
import dev.dnsgate.wire.IpLiteral;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** /etc/hosts syntax: "IP name [alias...]" per line, # comments. A problem names file and line. */
final class HostsFile {

  private HostsFile() {}

  static List<Record> read(RuleSpec spec, Path file, long ttl) {
    List<Record> records = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      for (int number = 1; (line = reader.readLine()) != null; number++) {
        int comment = line.indexOf('#');
        String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
        if (content.isEmpty()) {
          continue;
        }
        String[] fields = content.split("\\s+");
        String where = file + ":" + number;
        if (fields.length < 2) {
          throw new RuleFileException(where, "expected 'IP name [alias...]'");
        }
        InetAddress address = address(where, fields[0]);
        for (int i = 1; i < fields.length; i++) {
          Name name = name(where, fields[i]);
          records.add(address.getAddress().length == 4
              ? new ARecord(name, DClass.IN, ttl, address)
              : new AAAARecord(name, DClass.IN, ttl, address));
        }
      }
    } catch (IOException e) {
      throw spec.error("hosts", "cannot read hosts file " + file + ": " + e.getMessage());
    }
    return records;
  }

  private static InetAddress address(String where, String text) {
    return IpLiteral.parse(text).orElseThrow(() -> new RuleFileException(where, "'" + text + "' is not an IP address"));
  }

  private static Name name(String where, String text) {
    try {
      return DomainName.parse(text);
    } catch (IllegalArgumentException e) {
      throw new RuleFileException(where, "'" + text + "' is not a valid name");
    }
  }
}
