package dev.dnsgate.rules.local;

import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleFileException;
import dev.dnsgate.rules.RuleKindBase;
import dev.dnsgate.rules.RuleSpec;
import dev.dnsgate.rules.match.Matchers;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * {@code action: local}: answers from records held here. Records come from {@code records:} (lines
 * in zone-file syntax, names relative to {@code zone:}), {@code file:} (a zone file) and {@code hosts:}
 * (an /etc/hosts-style file). {@code zone:} makes the rule authoritative for everything below that
 * name; {@code ptr: true} adds PTR records for every A and AAAA; {@code ttl:} is the default TTL.
 */
@ApplicationScoped
public class LocalKind extends RuleKindBase {

  static final long DEFAULT_TTL = 300;
  /** SOA minimum when we make the SOA up: how long resolvers may cache our NXDOMAIN/NODATA. */
  static final long NEGATIVE_TTL = 60;

  public LocalKind() {
    super("local", Phase.ANSWER, Set.of("zone", "records", "file", "hosts", "ttl", "ptr"));
  }

  @Override
  public RuleAction build(RuleSpec spec) {
    if (!spec.has("records") && !spec.has("file") && !spec.has("hosts")) {
      throw new RuleFileException(spec.where(), "a local rule needs records, file or hosts");
    }
    Name apex = spec.optionalString("zone").map(z -> Matchers.name(spec, "zone", z)).orElse(null);
    long ttl = spec.optionalString("ttl").map(t -> ttl(spec, t)).orElse(DEFAULT_TTL);
    Name origin = apex != null ? apex : Name.root;
    List<Record> records = new ArrayList<>();
    for (String line : spec.strings("records")) {
      records.addAll(zoneLines(spec, line, origin, ttl));
    }
    if (spec.has("file")) {
      records.addAll(zoneFile(spec, spec.path("file"), origin, ttl));
    }
    if (spec.has("hosts")) {
      records.addAll(HostsFile.read(spec, spec.path("hosts"), ttl));
    }
    if (apex != null) {
      for (Record r : records) {
        if (!r.getName().subdomain(apex)) {
          throw spec.error("records", r.getName() + " is outside zone " + apex);
        }
      }
    }
    SOARecord soa = apex == null ? null : soa(apex, records);
    if (spec.bool("ptr", false)) {
      records.addAll(pointers(records));
    }
    return new LocalData(apex, soa, records.stream().filter(r -> r.getType() != Type.SOA).toList());
  }

  private static long ttl(RuleSpec spec, String text) {
    try {
      long ttl = Long.parseLong(text);
      if (ttl >= 0 && ttl <= 0x7fffffffL) {
        return ttl;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw spec.error("ttl", "ttl must be a number of seconds, not '" + text + "'");
  }

  private static List<Record> zoneLines(RuleSpec spec, String line, Name origin, long ttl) {
    List<Record> out = new ArrayList<>();
    try (Master master = new Master(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), origin, ttl)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        out.add(r);
      }
    } catch (IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage()).replaceFirst("^<none>:\\d+: ", "");
      throw spec.error("records", "'" + line + "': " + message);
    }
    return out;
  }

  private static List<Record> zoneFile(RuleSpec spec, Path file, Name origin, long ttl) {
    List<Record> out = new ArrayList<>();
    if (!Files.isReadable(file)) {
      throw spec.error("file", "cannot read zone file " + file);
    }
    try (Master master = new Master(file.toString(), origin, ttl)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        out.add(r);
      }
    } catch (IOException | RuntimeException e) {
      // dnsjava already says "file:line: what" for syntax errors
      throw new RuleFileException(spec.where("file"), String.valueOf(e.getMessage()));
    }
    return out;
  }

  private static SOARecord soa(Name apex, List<Record> records) {
    for (Record r : records) {
      if (r instanceof SOARecord given && given.getName().equals(apex)) {
        return given;
      }
    }
    Name host = Name.fromConstantString("localhost.");
    Name contact = Name.fromConstantString("hostmaster.invalid.");
    return new SOARecord(apex, DClass.IN, NEGATIVE_TTL, host, contact, 1, 3600, 600, 86400, NEGATIVE_TTL);
  }

  private static List<Record> pointers(List<Record> records) {
    List<Record> ptrs = new ArrayList<>();
    for (Record r : records) {
      InetAddress address = r instanceof ARecord a ? a.getAddress() : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
      if (address != null) {
        ptrs.add(new PTRRecord(ReverseMap.fromAddress(address), DClass.IN, r.getTTL(), r.getName()));
      }
    }
    return ptrs;
  }
}
