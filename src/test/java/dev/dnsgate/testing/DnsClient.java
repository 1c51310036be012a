package dev.dnsgate.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A DNS client on plain JDK sockets, so tests see exactly the bytes the proxy sends: no retries, no
 * TC handling, no ID checks of its own.
 */
public final class DnsClient {

  private static final int TIMEOUT_MS = 5000;
  private final InetSocketAddress server;

  public DnsClient(int port) {
    this(InetAddress.getLoopbackAddress(), port);
  }

  public DnsClient(InetAddress address, int port) {
    this.server = new InetSocketAddress(address, port);
  }

  public static Message query(String name, int type) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    } catch (IOException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  /** Sends one datagram and returns the raw reply, or null when none came within the timeout. */
  public byte[] udpRaw(byte[] packet, int timeoutMs) throws IOException {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      socket.setSoTimeout(timeoutMs);
      socket.send(new DatagramPacket(packet, packet.length, server));
      byte[] buffer = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return java.util.Arrays.copyOf(reply.getData(), reply.getLength());
    }
  }

  public Message udp(Message query) throws IOException {
    byte[] reply = udpRaw(query.toWire(), TIMEOUT_MS);
    if (reply == null) {
      throw new SocketTimeoutException("no UDP reply to " + query.getQuestion());
    }
    return new Message(reply);
  }

  public Message tcp(Message query) throws IOException {
    try (TcpSession session = tcpSession()) {
      session.send(query.toWire());
      return new Message(session.receive());
    }
  }

  public TcpSession tcpSession() throws IOException {
    return new TcpSession(server);
  }

  /** One TCP connection on which a test may send several framed messages before reading. */
  public static final class TcpSession implements AutoCloseable {
    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    TcpSession(InetSocketAddress server) throws IOException {
      socket = new Socket();
      socket.connect(server, TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      out = new DataOutputStream(socket.getOutputStream());
      in = new DataInputStream(socket.getInputStream());
    }

    public void send(byte[] message) throws IOException {
      out.writeShort(message.length);
      out.write(message);
      out.flush();
    }

    public void sendRaw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    public byte[] receive() throws IOException {
      int length = in.readUnsignedShort();
      byte[] message = new byte[length];
      in.readFully(message);
      return message;
    }

    /** True when the server closed the connection (reads end of stream) within the timeout. */
    public boolean closedByServer() throws IOException {
      try {
        return in.read() < 0;
      } catch (SocketTimeoutException e) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  public static Record firstAnswer(Message response) {
    return response.getSection(Section.ANSWER).get(0);
  }
}
