package dev.dnsgate.testing;

import dev.dnsgate.wire.FrameReader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * An in-process DNS-over-TLS server whose behaviour each test scripts: answer, delay (to reorder),
 * stay silent, close, answer with a wrong ID or question. It records every query it receives.
 */
public final class ScriptedDotServer implements AutoCloseable {

  /**
   * What the server does with one query.
   *
   * @param bytes what to write (null: nothing)
   * @param framed whether {@code bytes} already carry the length prefix (to send broken frames)
   * @param trickleMs when positive, write one byte every this many milliseconds
   */
  public record Reply(byte[] bytes, boolean framed, long delayMs, long trickleMs, boolean close) {

    public static Reply answer(Message response) {
      return new Reply(response.toWire(), false, 0, 0, false);
    }

    public static Reply silence() {
      return new Reply(null, false, 0, 0, false);
    }

    public static Reply closeConnection() {
      return new Reply(null, false, 0, 0, true);
    }

    /** The first half of the framed answer, then the connection closes. */
    public static Reply halfFrameThenClose(Message response) {
      byte[] framed = FrameReader.frame(response.toWire()).getBytes();
      return new Reply(java.util.Arrays.copyOf(framed, framed.length / 2), true, 0, 0, true);
    }

    /** The framed answer, one byte every {@code everyMs} milliseconds. */
    public static Reply trickle(Message response, long everyMs) {
      return new Reply(FrameReader.frame(response.toWire()).getBytes(), true, 0, everyMs, false);
    }

    public Reply delayed(long ms) {
      return new Reply(bytes, framed, ms, trickleMs, close);
    }
  }

  /** Rows of the default zone: every name answers, so tests can use any name they like. */
  public static final String BIG_NAME = "big.test.";

  private final Vertx vertx = Vertx.vertx();
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private final List<NetSocket> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile String certName;
  private boolean resetOnClose;
  private boolean nagle;
  private volatile Function<Message, Reply> script = ScriptedDotServer::standard;
  private NetServer server;
  private int port;

  /** @param certName file stem under tls/ of the certificate the server presents (e.g. "dot.test") */
  public ScriptedDotServer(String certName) {
    this.certName = certName;
  }

  public ScriptedDotServer start() {
    return startOn(0);
  }

  /** Closing a connection sends a TCP reset (SO_LINGER 0) instead of an orderly FIN. */
  public ScriptedDotServer resettingConnections() {
    this.resetOnClose = true;
    return this;
  }

  /**
   * Leaves Nagle's algorithm on (TCP_NODELAY off), as some real upstreams do: a small answer waits
   * while an earlier one is unacknowledged.
   */
  public ScriptedDotServer withNagle() {
    this.nagle = true;
    return this;
  }

  /** Restarts on the same port presenting another certificate (an impostor after a reconnect). */
  public ScriptedDotServer restartWith(String newCertName) {
    stop();
    this.certName = newCertName;
    return startOn(port);
  }

  /** (Re)starts on a given port, so a test can take an upstream down and bring it back. */
  public ScriptedDotServer startOn(int wanted) {
    NetServerOptions options =
        new NetServerOptions()
            .setSoLinger(resetOnClose ? 0 : -1)
            .setTcpNoDelay(!nagle)
            .setSsl(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(TestFiles.tls(certName + ".pem"))
                    .setKeyPath(TestFiles.tls(certName + ".key")));
    server = vertx.createNetServer(options).connectHandler(this::serve);
    try {
      server.listen(wanted, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("scripted DoT server could not start", e);
    }
    port = server.actualPort();
    return this;
  }

  private void serve(NetSocket socket) {
    accepted.incrementAndGet();
    connections.add(socket);
    socket.closeHandler(v -> connections.remove(socket));
    socket.handler(new FrameReader(frame -> respond(socket, frame)));
  }

  private void respond(NetSocket socket, Buffer frame) {
    Message query;
    try {
      query = new Message(frame.getBytes());
    } catch (IOException e) {
      socket.close();
      return;
    }
    received.add(query);
    Reply reply = script.apply(query);
    Runnable act =
        () -> {
          if (reply.bytes() != null) {
            Buffer out = reply.framed() ? Buffer.buffer(reply.bytes()) : FrameReader.frame(reply.bytes());
            if (reply.trickleMs() > 0) {
              trickle(socket, out, 0, reply.trickleMs());
            } else {
              socket.write(out);
            }
          }
          if (reply.close()) {
            socket.close();
          }
        };
    if (reply.delayMs() > 0) {
      vertx.setTimer(reply.delayMs(), t -> act.run());
    } else {
      act.run();
    }
  }

  private void trickle(NetSocket socket, Buffer out, int index, long everyMs) {
    if (index < out.length()) {
      socket.write(out.getBuffer(index, index + 1));
      vertx.setTimer(everyMs, t -> trickle(socket, out, index + 1, everyMs));
    }
  }

  /** A response with the query's ID and question, flags of a recursive resolver, and no records. */
  public static Message responseTo(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.RD);
    response.getHeader().setFlag(Flags.RA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }

  /**
   * The default behaviour: A 192.0.2.1 and AAAA 2001:db8::1 for every name, a TXT answer of about 1,600
   * bytes for {@link #BIG_NAME}, NXDOMAIN for names under nx.test.
   */
  public static Reply standard(Message query) {
    Message response = responseTo(query);
    Record question = query.getQuestion();
    Name name = question.getName();
    try {
      if (name.subdomain(Name.fromString("nx.test."))) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
      } else if (name.equals(Name.fromString(BIG_NAME))) {
        for (int i = 0; i < 8; i++) {
          response.addRecord(new TXTRecord(name, DClass.IN, 300, "x".repeat(200) + i), Section.ANSWER);
        }
      } else if (question.getType() == Type.A) {
        response.addRecord(new ARecord(name, DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.1")), Section.ANSWER);
      } else if (question.getType() == Type.AAAA) {
        response.addRecord(new AAAARecord(name, DClass.IN, 300, java.net.InetAddress.getByName("2001:db8::1")), Section.ANSWER);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Reply.answer(response);
  }

  public void script(Function<Message, Reply> newScript) {
    this.script = newScript;
  }

  public void reset() {
    script = ScriptedDotServer::standard;
    received.clear();
  }

  public List<Message> received() {
    return received;
  }

  public int acceptedConnections() {
    return accepted.get();
  }

  /** Connections open now: closed ones leave as soon as the server sees them close. */
  public int openConnections() {
    return connections.size();
  }

  public int port() {
    return port;
  }

  /** Stops listening and drops every open connection: the upstream is down. */
  public void stop() {
    connections.forEach(NetSocket::close);
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
    vertx.close();
  }
}
