package dev.dnsgate.admin;

import dev.dnsgate.resolve.AnswerSource;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.xbill.DNS.Name;

/**
 * The last {@code size} answered queries in a ring: the oldest is overwritten, so memory is fixed
 * (about 300 bytes an entry, allocated at start). Kept as numbers and bytes in arrays, not as the
 * {@link Seen}s handed over: at 2,000 qps the default 1,000 entries turn over between two young
 * collections, so as objects (each with its name and client) every collection copied a ringful of
 * them, ~200 KB, the largest part of what survived it (BENCHMARKS.md, "Young pauses at rest"). A
 * search makes Seens again for the entries it looks at. Names come back in lower case, as they are
 * shown; clients without an IPv6 scope.
 * Written by the feed's thread, searched by HTTP requests under one lock.
 */
final class RecentQueries {

  private static final AnswerSource[] SOURCES = AnswerSource.values();
  /** The longest name on the wire. */
  private static final int NAME_BYTES = 255;
  private static final int ADDRESS_BYTES = 16;

  private final int size;
  private final long[] millis;
  private final long[] nanos;
  private final int[] types;
  private final int[] rcodes;
  private final byte[] sources;
  /** The deciding rule or upstream group; for most answers a string that outlives them anyway. */
  private final String[] details;
  private final byte[] names;
  private final short[] nameLengths;
  private final byte[] clients;
  /** 0 for no client, else 4 or 16. */
  private final byte[] clientLengths;
  private long written;

  RecentQueries(int size) {
    this.size = size;
    this.millis = new long[size];
    this.nanos = new long[size];
    this.types = new int[size];
    this.rcodes = new int[size];
    this.sources = new byte[size];
    this.details = new String[size];
    this.names = new byte[size * NAME_BYTES];
    this.nameLengths = new short[size];
    this.clients = new byte[size * ADDRESS_BYTES];
    this.clientLengths = new byte[size];
  }

  synchronized void add(Seen seen) {
    int slot = (int) (written % size);
    millis[slot] = seen.epochMillis();
    nanos[slot] = seen.nanos();
    types[slot] = seen.type();
    rcodes[slot] = seen.rcode();
    sources[slot] = (byte) seen.source().ordinal();
    details[slot] = seen.detail();
    // lower case is how names are shown and searched anyway (QueryFeed.nameText); toWire() would
    // make a Name for every label
    byte[] wire = seen.name().toWireCanonical();
    System.arraycopy(wire, 0, names, slot * NAME_BYTES, wire.length);
    nameLengths[slot] = (short) wire.length;
    if (seen.client() == null) {
      clientLengths[slot] = 0;
    } else {
      byte[] address = seen.client().getAddress();
      System.arraycopy(address, 0, clients, slot * ADDRESS_BYTES, address.length);
      clientLengths[slot] = (byte) address.length;
    }
    written++;
  }

  /** Newest first, at most {@code limit} of those that pass {@code filter}. */
  synchronized List<Seen> search(Predicate<Seen> filter, int limit) {
    List<Seen> found = new ArrayList<>();
    long oldest = Math.max(0, written - size);
    for (long i = written - 1; i >= oldest && found.size() < limit; i--) {
      Seen seen = at((int) (i % size));
      if (filter.test(seen)) {
        found.add(seen);
      }
    }
    return found;
  }

  synchronized int kept() {
    return (int) Math.min(written, size);
  }

  private Seen at(int slot) {
    int nameAt = slot * NAME_BYTES;
    int clientAt = slot * ADDRESS_BYTES;
    try {
      Name name = new Name(Arrays.copyOfRange(names, nameAt, nameAt + nameLengths[slot]));
      InetAddress client = clientLengths[slot] == 0 ? null
          : InetAddress.getByAddress(Arrays.copyOfRange(clients, clientAt, clientAt + clientLengths[slot]));
      return new Seen(millis[slot], client, name, types[slot], SOURCES[sources[slot]], details[slot], rcodes[slot],
          nanos[slot]);
    } catch (IOException e) {
      throw new IllegalStateException("a name and an address stored from their own bytes read back", e);
    }
  }
}
