package dev.dnsgate.ops;

import dev.dnsgate.config.DnsgateConfig;
import dev.dnsgate.resolve.Answer;
import dev.dnsgate.resolve.QueryObserver;
import dev.dnsgate.upstream.Validation;
import dev.dnsgate.wire.QueryContext;
import dev.dnsgate.wire.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The optional query log: one JSON line per answered query (time, client, name, type, source and
 * its detail (rule, upstream group), rcode, latency). The query path only offers a small record to
 * a bounded queue; formatting and writing happen on the log's own thread, and when the queue is full
 * lines are dropped and counted rather than slowing queries down.
 */
// @Singleton, not @ApplicationScoped: called on every query, and a client proxy looks the instance
// up in its context on each call (~5 % of forward-path samples across the per-query beans).
@Singleton
public class QueryLog implements QueryObserver {

  private static final Logger LOG = Logger.getLogger(QueryLog.class);

  private record Line(long epochMillis, InetAddress client, String clientName, Transport transport, String name,
      int type, String source, String detail, int rcode, long micros, Validation dnssec) {}

  private final boolean enabled;
  private final double sample;
  private final BlockingQueue<Line> queue;
  private final LongAdder dropped = new LongAdder();
  private final Thread writer;
  private volatile boolean running = true;

  public QueryLog(DnsgateConfig config, MeterRegistry registry) {
    DnsgateConfig.QueryLog c = config.queryLog();
    this.enabled = c.enabled();
    this.sample = c.sample();
    this.queue = new ArrayBlockingQueue<>(Math.max(1, c.queue()));
    if (enabled) {
      Writer out = open(c.target());
      writer = new Thread(() -> drain(out), "dnsgate-query-log");
      writer.setDaemon(true);
      writer.start();
    } else {
      writer = null;
    }
    FunctionCounter.builder("dnsgate.query_log.dropped", dropped, LongAdder::sum)
        .description("Query-log lines dropped because the writer fell behind").register(registry);
  }

  private static Writer open(String target) {
    if (target.equals("stdout")) {
      return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    }
    try {
      return Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalArgumentException("dnsgate.query-log.target: cannot open '" + target + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void answered(QueryContext ctx, Answer answer, long nanos) {
    if (!enabled || (sample < 1.0 && ThreadLocalRandom.current().nextDouble() >= sample)) {
      return;
    }
    Line line = new Line(System.currentTimeMillis(), ctx.client(), ctx.clientName(), ctx.transport(),
        ctx.question().getName().toString(),
        ctx.question().getType(), answer.source().label(), answer.detail(), answer.rcode(), nanos / 1000,
        answer.validation());
    if (!queue.offer(line)) {
      dropped.increment();
    }
  }

  private void drain(Writer out) {
    try (out) {
      while (running || !queue.isEmpty()) {
        Line line = queue.poll(200, TimeUnit.MILLISECONDS);
        if (line == null) {
          out.flush();
          continue;
        }
        out.write(format(line));
        out.write('\n');
        if (queue.isEmpty()) {
          out.flush();
        }
      }
    } catch (IOException e) {
      LOG.errorf("query log stopped: %s", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String format(Line line) {
    JsonObject json = new JsonObject()
        .put("time", Instant.ofEpochMilli(line.epochMillis()).toString())
        .put("client", line.client() == null ? null : line.client().getHostAddress())
        .put("client_name", line.clientName())
        .put("transport", line.transport().name().toLowerCase())
        .put("name", line.name())
        .put("type", Type.string(line.type()))
        .put("source", line.source())
        .put("detail", line.detail())
        .put("rcode", Rcode.string(line.rcode()))
        .put("latency_ms", line.micros() / 1000.0);
    Validation dnssec = line.dnssec();
    if (dnssec.status() != Validation.Status.UNCHECKED) {
      json.put("dnssec", dnssec.status().label());
      if (dnssec.reason() != null && dnssec.status() != Validation.Status.SECURE) {
        json.put("dnssec_reason", dnssec.explained());
      }
    }
    return json.encode();
  }

  @Override
  public void close() {
    running = false;
    if (writer != null) {
      try {
        writer.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
