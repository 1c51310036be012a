package dev.dnsgate.dnssec;

import dev.dnsgate.config.DnsgateConfig.Dnssec.AnchorMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The trust anchors a validator starts from, as zone-file text (what dnsjava's
 * {@code ValidatingResolver.loadTrustAnchors} reads): the IANA root KSKs, and the records of an
 * anchor file added to them or replacing them.
 */
public final class TrustAnchors {

  /**
   * The root zone's KSK-2017 (key tag 20326) and KSK-2024 (38696), as DS records: IANA's
   * root-anchors.xml (https://data.iana.org/root-anchors/), identical to Debian's dns-root-data
   * root.ds. Built in, so that validation works without any file.
   */
  static final String IANA_ROOT = """
      . 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
      . 172800 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
      """;

  private TrustAnchors() {}

  /** The anchors to load: root and file, or the file alone with {@code replace}. */
  public static String text(Optional<String> file, AnchorMode mode) throws IOException {
    String fromFile = file.isEmpty() ? "" : Files.readString(Path.of(file.get()), StandardCharsets.UTF_8);
    String root = mode == AnchorMode.REPLACE ? "" : IANA_ROOT;
    return root + "$TTL 3600\n" + fromFile + "\n";
  }

  /**
   * What is wrong with an anchor file, one line each naming the file and line: unreadable, not zone-file
   * syntax, or records other than DS and DNSKEY. Empty when the file can be used.
   */
  public static List<String> problems(String file) {
    List<String> problems = new ArrayList<>();
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(Path.of(file).toString(), Name.root, 3600)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    } catch (TextParseException e) {
      problems.add(file + ": " + e.getMessage());
      return problems;
    } catch (IOException e) {
      problems.add(file + ": cannot read (" + e.getMessage() + ")");
      return problems;
    }
    for (Record r : records) {
      if (r.getType() != Type.DS && r.getType() != Type.DNSKEY) {
        problems.add(file + ": " + r.getName() + " " + Type.string(r.getType()) + ": only DS and DNSKEY records are trust anchors");
      }
    }
    if (records.isEmpty()) {
      problems.add(file + ": no DS or DNSKEY records");
    }
    return problems;
  }
}
