package dev.dnsgate.whatif;

import dev.dnsgate.wire.IpLiteral;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads the query log (ops/QueryLog: one JSON object per line with name, type, client, source, ...)
 * into recorded queries. A line that is not such an object is skipped and counted, never fatal: a log
 * cut off mid-line or mixed with other output still replays. Queries the gate answered before the
 * rules (refused clients, rate-limited and minimal ANY answers) are counted apart, as no rule edit
 * changes them.
 */
public final class QueryLogReader {

  static final Set<String> BEFORE_RULES = Set.of("refused", "rate-limited", "any-minimal");
  static final int EXAMPLES = 5;

  private long lines;
  private long malformed;
  private long beforeRules;
  private final List<String> malformedExamples = new ArrayList<>();

  /** Reads one log file, handing each replayable query to {@code sink}. */
  public void read(Path file, Consumer<RecordedQuery> sink) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        lines++;
        try {
          RecordedQuery query = parse(line);
          if (query != null) {
            sink.accept(query);
          }
        } catch (IllegalArgumentException e) {
          malformed++;
          if (malformedExamples.size() < EXAMPLES) {
            malformedExamples.add(file + ":" + number + ": " + e.getMessage());
          }
        }
      }
    }
  }

  /** The query of one line, null when the gate answered it; IllegalArgumentException when malformed. */
  RecordedQuery parse(String line) {
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (BEFORE_RULES.contains(String.valueOf(json.getValue("source")))) {
      beforeRules++;
      return null;
    }
    if (!(json.getValue("name") instanceof String nameText) || nameText.isEmpty()) {
      throw new IllegalArgumentException("no \"name\"");
    }
    Name name;
    try {
      name = Name.fromString(nameText, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("\"name\" is not a domain name: " + e.getMessage());
    }
    Object typeValue = json.getValue("type");
    int type = typeValue instanceof String t ? Type.value(t) : -1;
    if (type < 0) {
      throw new IllegalArgumentException("\"type\" is not a DNS type: " + typeValue);
    }
    Object clientValue = json.getValue("client");
    InetAddress client = null;
    if (clientValue != null) {
      client = IpLiteral.parse(String.valueOf(clientValue))
          .orElseThrow(() -> new IllegalArgumentException("\"client\" is not an IP address: " + clientValue));
    }
    return new RecordedQuery(name, type, client);
  }

  /** Non-blank lines read. */
  public long lines() {
    return lines;
  }

  public long malformed() {
    return malformed;
  }

  public long beforeRules() {
    return beforeRules;
  }

  /** The first few malformed lines as "file:line: why". */
  public List<String> malformedExamples() {
    return List.copyOf(malformedExamples);
  }
}
