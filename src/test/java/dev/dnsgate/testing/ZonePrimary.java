package dev.dnsgate.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * An in-process primary for one zone over TCP on loopback: answers AXFR, and IXFR from any serial it
 * has served (one step: the differences to the newest version), optionally TSIG-signed, optionally
 * cutting a transfer off after some messages. Versions are the zone's records, SOA first.
 */
public final class ZonePrimary implements AutoCloseable {

  private final Name zone;
  private final ServerSocket server;
  private final Thread acceptor;
  private final Map<Long, List<Record>> versions = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile long newest = -1;
  private volatile TSIG key;
  private volatile TSIG responseKey;
  private volatile int cutAfterMessages = -1;
  /** Records per response message: small, so that a transfer spans several signed messages. */
  private volatile int recordsPerMessage = 50;

  public ZonePrimary(Name zone) throws IOException {
    this.zone = zone;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::accept, "zone-primary");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Publishes a version of the zone: its SOA (first record) names the serial. */
  public void publish(List<Record> records) {
    long serial = ((SOARecord) records.get(0)).getSerial();
    versions.put(serial, List.copyOf(records));
    newest = serial;
  }

  /** Signs responses with this key and refuses unsigned requests; null: no TSIG. */
  public void sign(TSIG tsig) {
    this.key = tsig;
    this.responseKey = tsig;
  }

  /** Accepts requests signed with the {@link #sign} key but signs answers with this one (an impostor). */
  public void signResponsesWith(TSIG tsig) {
    this.responseKey = tsig;
  }

  /** Closes the connection after this many response messages of a transfer; -1: never. */
  public void cutAfter(int messages) {
    this.cutAfterMessages = messages;
  }

  public void recordsPerMessage(int count) {
    this.recordsPerMessage = count;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** "AXFR" or "IXFR serial" for every request received, in order. */
  public List<String> requests() {
    return requests;
  }

  private void accept() {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        socket.setSoTimeout(5000);
        serve(socket);
      } catch (IOException e) {
        // a closed server ends the loop; a client gone mid-transfer is the client's business
      }
    }
  }

  private void serve(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    byte[] wire = new byte[in.readUnsignedShort()];
    in.readFully(wire);
    Message query = new Message(wire);
    TSIG tsig = key;
    TSIGRecord queryTsig = query.getTSIG();
    if (tsig != null && (queryTsig == null || tsig.verify(query, wire, null) != Rcode.NOERROR)) {
      requests.add("refused: bad or missing TSIG");
      Message refused = response(query);
      refused.getHeader().setRcode(Rcode.NOTAUTH);
      write(out, refused.toWire());
      return;
    }
    int type = query.getQuestion().getType();
    List<Record> records = new ArrayList<>();
    List<Record> current = versions.get(newest);
    if (type == Type.IXFR) {
      long from = ((SOARecord) query.getSection(Section.AUTHORITY).get(0)).getSerial();
      requests.add("IXFR " + from);
      records.addAll(ixfr(from, current));
    } else {
      requests.add("AXFR");
      records.addAll(current);
      records.add(current.get(0));
    }
    TSIG.StreamGenerator signer = tsig == null ? null : new TSIG.StreamGenerator(responseKey, queryTsig);
    int sent = 0;
    for (int i = 0; i < records.size(); i += recordsPerMessage) {
      if (cutAfterMessages >= 0 && sent == cutAfterMessages) {
        return; // the connection closes mid-transfer
      }
      Message message = response(query);
      for (Record r : records.subList(i, Math.min(records.size(), i + recordsPerMessage))) {
        message.addRecord(r, Section.ANSWER);
      }
      if (signer != null) {
        signer.generate(message);
      }
      write(out, message.toWire());
      sent++;
    }
  }

  /** The IXFR answer from {@code from}: one step to the newest, or the whole zone when unknown. */
  private List<Record> ixfr(long from, List<Record> current) {
    SOARecord newestSoa = (SOARecord) current.get(0);
    List<Record> records = new ArrayList<>();
    if (from == newest) {
      records.add(newestSoa);
      return records;
    }
    List<Record> old = versions.get(from);
    if (old == null) {
      records.addAll(current);
      records.add(newestSoa);
      return records;
    }
    Set<Record> before = new LinkedHashSet<>(old.subList(1, old.size()));
    Set<Record> after = new LinkedHashSet<>(current.subList(1, current.size()));
    records.add(newestSoa);
    records.add(old.get(0));
    before.stream().filter(r -> !after.contains(r)).forEach(records::add);
    records.add(newestSoa);
    after.stream().filter(r -> !before.contains(r)).forEach(records::add);
    records.add(newestSoa);
    return records;
  }

  private Message response(Message query) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setOpcode(Opcode.QUERY);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  private static void write(DataOutputStream out, byte[] wire) throws IOException {
    out.writeShort(wire.length);
    out.write(wire);
    out.flush();
  }

  public Name zone() {
    return zone;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
