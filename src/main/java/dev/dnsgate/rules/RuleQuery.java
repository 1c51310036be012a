package dev.dnsgate.rules;

import dev.dnsgate.wire.Transport;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * The query as the rules see it while they run: its name and type may be changed by rewrites, which
 * also leave a reverter that turns the final answer back into an answer to the client's question.
 */
public final class RuleQuery {

  private final Name originalName;
  private final int originalType;
  private final int dclass;
  private final InetAddress client;
  private final Transport transport;
  private final String clientName;
  private Name name;
  private int type;
  private final List<UnaryOperator<Message>> reverters = new ArrayList<>();

  public RuleQuery(Name name, int type, int dclass, InetAddress client) {
    this(name, type, dclass, client, null, null);
  }

  /**
   * @param transport how the query came, or null when it is explained rather than received
   * @param clientName the name a DoT or DoH client gave itself (dev.dnsgate.wire.ClientName), or null
   */
  public RuleQuery(Name name, int type, int dclass, InetAddress client, Transport transport, String clientName) {
    this.transport = transport;
    this.clientName = clientName;
    this.originalName = name;
    this.originalType = type;
    this.name = name;
    this.type = type;
    this.dclass = dclass;
    this.client = client;
  }

  public Name name() {
    return name;
  }

  public int type() {
    return type;
  }

  public int dclass() {
    return dclass;
  }

  /** May be null when a rule is explained without a client. */
  public InetAddress client() {
    return client;
  }

  /** May be null when a rule is explained rather than a query received. */
  public Transport transport() {
    return transport;
  }

  /** The client's own name, lower case, or null: plain DNS clients and DoT/DoH clients that gave none. */
  public String clientName() {
    return clientName;
  }

  public Name originalName() {
    return originalName;
  }

  public int originalType() {
    return originalType;
  }

  public boolean rewritten() {
    return !reverters.isEmpty();
  }

  /** Changes what is resolved; {@code reverter} maps the answer back, applied last-first. */
  public void rewrite(Name newName, int newType, UnaryOperator<Message> reverter) {
    this.name = newName;
    this.type = newType;
    reverters.add(reverter);
  }

  /** Applies the reverters of every rewrite, newest first, to an answer for the rewritten query. */
  public Message revert(Message answer) {
    Message result = answer;
    for (int i = reverters.size() - 1; i >= 0; i--) {
      result = reverters.get(i).apply(result);
    }
    return result;
  }
}
