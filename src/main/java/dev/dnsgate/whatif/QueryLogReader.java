package dev.dnsgate.whatif;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.dnsgate.wire.IpLiteral;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads the query log (ops/QueryLog: one JSON object per line with name, type, client, source, ...)
 * and replays each line. A line that is not such an object is skipped and counted, never fatal: a log
 * cut off mid-line or mixed with other output still replays. Queries the gate answered before the
 * rules (refused clients, rate-limited and minimal ANY answers) are counted apart, as no rule edit
 * changes them. Lines are read with Jackson's streaming parser: only four fields are wanted, and
 * building a map per line would cost more than the replay.
 */
public final class QueryLogReader {

  static final Set<String> BEFORE_RULES = Set.of("refused", "rate-limited", "any-minimal");
  static final int EXAMPLES = 5;

  private final JsonFactory json = new JsonFactory();
  private long lines;
  private long malformed;
  private long beforeRules;
  private final List<String> malformedExamples = new ArrayList<>();

  /** Reads one log file into {@code replay}. */
  public void read(Path file, Replay replay) throws IOException {
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
          replayLine(line, replay);
        } catch (IllegalArgumentException e) {
          malformed++;
          if (malformedExamples.size() < EXAMPLES) {
            malformedExamples.add(file + ":" + number + ": " + e.getMessage());
          }
        }
      }
    }
  }

  private void replayLine(String line, Replay replay) {
    String name = null;
    String type = null;
    String client = null;
    String source = null;
    try (JsonParser parser = json.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        switch (field) {
          case "name" -> name = text;
          case "type" -> type = text;
          case "client" -> client = text;
          case "source" -> source = text;
          default -> parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new IllegalArgumentException("not a JSON object");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (source != null && BEFORE_RULES.contains(source)) {
      beforeRules++;
      return;
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("no \"name\"");
    }
    if (type == null) {
      throw new IllegalArgumentException("no \"type\"");
    }
    replay.add(name, type, client);
  }

  /**
   * The query a log line's fields describe.
   *
   * @param client null when the line has none
   * @throws IllegalArgumentException naming the field that is wrong
   */
  static RecordedQuery query(String nameText, String typeText, String clientText) {
    Name name;
    try {
      name = Name.fromString(nameText, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("\"name\" is not a domain name: " + e.getMessage());
    }
    int type = Type.value(typeText);
    if (type < 0) {
      throw new IllegalArgumentException("\"type\" is not a DNS type: " + typeText);
    }
    InetAddress client = null;
    if (clientText != null) {
      client = IpLiteral.parse(clientText)
          .orElseThrow(() -> new IllegalArgumentException("\"client\" is not an IP address: " + clientText));
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
