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
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads the query log (ops/QueryLog: one JSON object per line with name, type, client, source, ...)
 * and replays each line. A line that is not such an object is skipped and counted, never fatal: a log
 * cut off mid-line or mixed with other output still replays. Queries the gate answered before the
 * rules (refused clients, rate-limited and minimal ANY answers) are counted apart, as no rule edit
 * changes them. Lines are read with Jackson's streaming parser: only four fields are wanted, and
 * building a map per line would cost more than the replay. One thread reads the file; batches of
 * lines are parsed and replayed on every core, a few batches at most waiting, so memory stays
 * bounded whatever the file's size.
 */
public final class QueryLogReader {

  static final Set<String> BEFORE_RULES = Set.of("refused", "rate-limited", "any-minimal");
  static final int EXAMPLES = 5;
  private static final int BATCH = 2048;

  private final JsonFactory json = new JsonFactory();
  private long lines;
  private final LongAdder malformed = new LongAdder();
  private final LongAdder beforeRules = new LongAdder();
  /** The first malformed lines by file and line number, whichever thread found them. */
  private final TreeMap<Long, String> malformedExamples = new TreeMap<>();
  private int files;

  /** One batch of lines and the number of its first line. */
  private record Batch(Path file, long firstLine, List<String> lines) {}

  /** Reads one log file into {@code replay}. */
  public void read(Path file, Replay replay) throws IOException {
    int threads = Runtime.getRuntime().availableProcessors();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(threads * 2), new ThreadPoolExecutor.CallerRunsPolicy());
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    long fileIndex = files++;
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<String> batch = new ArrayList<>(BATCH);
      long number = 0;
      long first = 1;
      String line;
      while ((line = reader.readLine()) != null) {
        number++;
        batch.add(line);
        if (batch.size() == BATCH) {
          submit(pool, new Batch(file, first, batch), fileIndex, replay, failure);
          batch = new ArrayList<>(BATCH);
          first = number + 1;
        }
      }
      submit(pool, new Batch(file, first, batch), fileIndex, replay, failure);
    } finally {
      pool.shutdown();
      awaitQuietly(pool);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private void submit(ThreadPoolExecutor pool, Batch batch, long fileIndex, Replay replay,
      AtomicReference<RuntimeException> failure) {
    lines += batch.lines().stream().filter(l -> !l.isBlank()).count();
    pool.execute(() -> {
      try {
        replayBatch(batch, fileIndex, replay);
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
      }
    });
  }

  private static void awaitQuietly(ThreadPoolExecutor pool) {
    try {
      pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pool.shutdownNow();
    }
  }

  private void replayBatch(Batch batch, long fileIndex, Replay replay) {
    for (int i = 0; i < batch.lines().size(); i++) {
      String line = batch.lines().get(i);
      if (line.isBlank()) {
        continue;
      }
      try {
        replayLine(line, replay);
      } catch (IllegalArgumentException e) {
        malformed.increment();
        long number = batch.firstLine() + i;
        example((fileIndex << 40) + number, batch.file() + ":" + number + ": " + e.getMessage());
      }
    }
  }

  private void example(long order, String text) {
    synchronized (malformedExamples) {
      malformedExamples.put(order, text);
      if (malformedExamples.size() > EXAMPLES) {
        malformedExamples.pollLastEntry();
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
      beforeRules.increment();
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
    return malformed.sum();
  }

  public long beforeRules() {
    return beforeRules.sum();
  }

  /** The first few malformed lines as "file:line: why". */
  public List<String> malformedExamples() {
    synchronized (malformedExamples) {
      return List.copyOf(malformedExamples.values());
    }
  }
}
