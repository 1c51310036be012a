package dev.dnsgate.rules.match;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * A block list in any of the formats people download, detected per line:
 *
 * <ul>
 *   <li>hosts files: {@code 0.0.0.0 ads.example}, {@code 127.0.0.1 a.example b.example}, {@code :: x};
 *   <li>one domain per line: {@code ads.example}, or {@code *.ads.example} for subdomains only;
 *   <li>Adblock-style: {@code ||ads.example^}, with {@code @@||good.example^} as an exception.
 * </ul>
 *
 * Comments ({@code #}, {@code !}) and hosts-file boilerplate (localhost and friends) are ignored; a
 * line that fits no format is skipped and counted, never fatal: a downloaded list is not ours to fix.
 */
public final class BlockList {

  private static final Set<String> SINK_ADDRESSES = Set.of("0.0.0.0", "127.0.0.1", "::", "::1", "0:0:0:0:0:0:0:0");
  private static final Set<String> HOSTS_BOILERPLATE =
      Set.of("localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
          "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
          "ip6-allhosts", "0.0.0.0");

  /** Below this a list is read on one thread: splitting costs more than it saves. */
  private static final int SLICE_MIN_BYTES = 1 << 20;
  private static final int MAX_SLICES = 4;
  private static final int READ_CHUNK = 64 * 1024;

  private final DomainSet blocked;
  private final DomainSet exceptions;
  private int skipped;
  private final boolean fromSnapshot;

  public BlockList() {
    this(new DomainSet(), new DomainSet(), 0, false);
  }

  private BlockList(DomainSet blocked, DomainSet exceptions, int skipped, boolean fromSnapshot) {
    this.blocked = blocked;
    this.exceptions = exceptions;
    this.skipped = skipped;
    this.fromSnapshot = fromSnapshot;
  }

  /** A list from the tables {@link #tables()} gave, in that order (see {@link ListSnapshots}). */
  static BlockList fromSnapshot(LongHashSet blockedWithSubdomains, LongHashSet blockedBelowOnly,
      LongHashSet exceptionsWithSubdomains, LongHashSet exceptionsBelowOnly, int skipped) {
    return new BlockList(new DomainSet(blockedWithSubdomains, blockedBelowOnly),
        new DomainSet(exceptionsWithSubdomains, exceptionsBelowOnly), skipped, true);
  }

  /** The blocked names' tables, then the exceptions'. */
  LongHashSet[] tables() {
    LongHashSet[] blockedTables = blocked.tables();
    LongHashSet[] exceptionTables = exceptions.tables();
    return new LongHashSet[] {blockedTables[0], blockedTables[1], exceptionTables[0], exceptionTables[1]};
  }

  /** Whether this list came from a snapshot rather than from parsing its file. */
  public boolean fromSnapshot() {
    return fromSnapshot;
  }

  /**
   * Reads a list file. A large one is read in slices on several threads (cut at line ends), each into
   * a list of its own, then merged: a 1M-line list is read before dnsgate listens (BENCHMARKS.md,
   * Start-up). Not UTF-8: an IOException, as a Reader would throw.
   */
  public static BlockList read(Path file) throws IOException {
    return read(file, Math.max(1, Math.min(MAX_SLICES, Runtime.getRuntime().availableProcessors())));
  }

  static BlockList read(Path file, int threads) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      int slices = size < SLICE_MIN_BYTES ? 1 : threads;
      List<long[]> ranges = new ArrayList<>();
      long start = 0;
      for (int i = 1; i <= slices && start < size; i++) {
        long end = i == slices ? size : lineEnd(channel, size * i / slices);
        ranges.add(new long[] {start, end});
        start = end;
      }
      List<BlockList> read = ranges.size() <= 1
          ? List.of(readRange(channel, 0, size))
          : ranges.parallelStream().map(r -> readRangeUnchecked(channel, r[0], r[1])).toList();
      BlockList list = read.get(0);
      for (BlockList other : read.subList(1, read.size())) {
        list.blocked.addAll(other.blocked);
        list.exceptions.addAll(other.exceptions);
        list.skipped += other.skipped;
      }
      return list;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Where the line holding byte {@code from} ends (just past its \n), or the end of the file. */
  private static long lineEnd(FileChannel channel, long from) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(4096);
    for (long position = from; ; position += chunk.limit()) {
      chunk.clear();
      if (channel.read(chunk, position) <= 0) {
        return position;
      }
      chunk.flip();
      for (int i = 0; i < chunk.limit(); i++) {
        if (chunk.get(i) == '\n') {
          return position + i + 1;
        }
      }
    }
  }

  private static BlockList readRangeUnchecked(FileChannel channel, long start, long end) {
    try {
      return readRange(channel, start, end);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lines of bytes [start, end), read with positional reads (threads share the channel); lines
   * end at \n, \r or both, as BufferedReader.readLine has them.
   */
  private static BlockList readRange(FileChannel channel, long start, long end) throws IOException {
    BlockList list = new BlockList();
    CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
    byte[] line = new byte[256];
    int length = 0;
    boolean ascii = true;
    for (long position = start; position < end; position += chunk.limit()) {
      chunk.clear().limit((int) Math.min(READ_CHUNK, end - position));
      if (channel.read(chunk, position) <= 0) {
        break; // the file shrank while being read: what was there is the list
      }
      chunk.flip();
      while (chunk.hasRemaining()) {
        byte b = chunk.get();
        if (b == '\n' || b == '\r') {
          list.addLine(decode(line, length, ascii, utf8));
          length = 0;
          ascii = true;
        } else {
          if (length == line.length) {
            line = Arrays.copyOf(line, length * 2);
          }
          line[length++] = b;
          ascii &= b >= 0;
        }
      }
    }
    list.addLine(decode(line, length, ascii, utf8));
    return list;
  }

  private static String decode(byte[] line, int length, boolean ascii, CharsetDecoder utf8)
      throws CharacterCodingException {
    return ascii
        ? new String(line, 0, length, StandardCharsets.ISO_8859_1)
        : utf8.decode(ByteBuffer.wrap(line, 0, length)).toString();
  }

  void addLine(String raw) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#") || line.startsWith("!") || line.startsWith("[")) {
      return;
    }
    int comment = line.indexOf('#');
    if (comment > 0) {
      line = line.substring(0, comment).strip();
    }
    if (line.startsWith("@@||")) {
      adblock(line.substring(4), exceptions);
    } else if (line.startsWith("||")) {
      adblock(line.substring(2), blocked);
    } else {
      hostsOrDomain(line);
    }
  }

  /**
   * A line of whitespace-separated fields: one domain, or a sink address and its names. Split by hand
   * rather than with a regex: this runs once per line of a 1M-line list, and at start-up (BENCHMARKS.md,
   * Start-up).
   */
  private void hostsOrDomain(String line) {
    int end = fieldEnd(line, 0);
    if (end == line.length()) {
      domain(line, blocked);
      return;
    }
    if (!SINK_ADDRESSES.contains(line.substring(0, end))) {
      skipped++;
      return;
    }
    for (int start = fieldStart(line, end); start < line.length(); start = fieldStart(line, end)) {
      end = fieldEnd(line, start);
      String field = line.substring(start, end);
      if (!HOSTS_BOILERPLATE.contains(field.toLowerCase())) {
        domain(field, blocked);
      }
    }
  }

  private static int fieldEnd(String line, int from) {
    int i = from;
    while (i < line.length() && !isSpace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int fieldStart(String line, int from) {
    int i = from;
    while (i < line.length() && isSpace(line.charAt(i))) {
      i++;
    }
    return i;
  }

  /** What the regex class \s matches. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private void adblock(String rest, DomainSet target) {
    String domain = rest;
    if (domain.endsWith("^$important")) {
      domain = domain.substring(0, domain.length() - "$important".length());
    }
    if (!domain.endsWith("^") || domain.indexOf('/') >= 0 || domain.indexOf('$') >= 0) {
      skipped++; // paths and modifiers are for browsers, not DNS
      return;
    }
    domain(domain.substring(0, domain.length() - 1), target);
  }

  private void domain(String text, DomainSet target) {
    String normalized = normalize(text);
    if (normalized == null) {
      skipped++;
    } else {
      target.add(normalized);
    }
  }

  /** Lower-case A-label form without a trailing dot, or null if it is not a domain name. */
  static String normalize(String text) {
    String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    boolean wildcard = name.startsWith("*.");
    if (wildcard) {
      name = name.substring(2);
    }
    try {
      // IDN.toASCII leaves ASCII labels as they are (up to case): skip its nameprep pass for them
      name = isAscii(name) ? name.toLowerCase(Locale.ROOT) : IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (name.isEmpty() || name.length() > 253) {
      return null;
    }
    int start = 0;
    for (int dot = name.indexOf('.'); ; dot = name.indexOf('.', start)) {
      int end = dot < 0 ? name.length() : dot;
      if (!validLabel(name, start, end)) {
        return null;
      }
      if (dot < 0) {
        return wildcard ? "*." + name : name;
      }
      start = dot + 1;
    }
  }

  /**
   * Whether name[start, end) is a label as lists write them: 1-63 of a-z, 0-9, _ and inner hyphens
   * (the pattern [a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?, checked without a regex: once per label of
   * a 1M-line list).
   */
  private static boolean validLabel(String name, int start, int end) {
    int length = end - start;
    if (length < 1 || length > 63 || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  public boolean blocks(Name name) {
    long[] suffixes = LabelHash.suffixes(name);
    return blocked.contains(suffixes) && !exceptions.contains(suffixes);
  }

  /**
   * Whether this list blocks every name below {@code name}, and {@code name} itself when
   * {@code andItself}. Exceptions are not looked into: a list with any is never said to cover a whole
   * subtree.
   */
  public boolean coversSubtree(Name name, boolean andItself) {
    if (!exceptions.isEmpty()) {
      return false;
    }
    long[] suffixes = LabelHash.suffixes(name);
    return blocked.contains(suffixes) || (!andItself && blocked.containsBelowOnly(suffixes[0]));
  }

  /** Entries that {@code other} lists too, in the same form. */
  public long sharedEntries(BlockList other) {
    return blocked.countShared(other.blocked);
  }

  /**
   * Whether every entry of this list is listed, in a form covering as much, by one of {@code others}
   * (none of which has exceptions). Exact entries only: an entry that only a parent entry of another
   * list covers makes this false.
   */
  public boolean entriesWithin(List<BlockList> others) {
    for (BlockList other : others) {
      if (!other.exceptions.isEmpty()) {
        return false;
      }
    }
    return blocked.entriesWithin(others.stream().map(o -> o.blocked).toList());
  }

  public int entries() {
    return blocked.size() + exceptions.size();
  }

  public int skippedLines() {
    return skipped;
  }
}
