package dev.dnsgate.rules.match;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * The bytes of one list snapshot: a header (magic, digest of the code that made it, the list's size
 * and CRC-32C, its skipped lines), the block list's four hash tables as they are in memory (entries,
 * slot count, slots), then a CRC-32C of all that. Big-endian throughout.
 */
final class SnapshotFile {

  private static final Logger LOG = Logger.getLogger(SnapshotFile.class);
  private static final long MAGIC = 0x444E53474C495354L; // "DNSGLIST"
  private static final int CHUNK = 1 << 20;
  private static final int HEADER = 4 * Long.BYTES + Integer.BYTES;
  /** The classes whose code decides what a snapshot holds, and the JDK's version (java.net.IDN). */
  private static final Class<?>[] FORMAT = {BlockList.class, DomainSet.class, LongHashSet.class, LabelHash.class,
      SnapshotFile.class, Writer.class};
  private static Long code;
  private static boolean codeUnknown;

  private SnapshotFile() {}

  /**
   * A digest of the list code and the JDK, so that another build never reads these tables; null when
   * the class files cannot be read (then there are no snapshots, with one warning).
   */
  static synchronized Long code() {
    if (code == null && !codeUnknown) {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (Class<?> type : FORMAT) {
          String file = type.getName().substring(type.getPackageName().length() + 1) + ".class";
          try (InputStream bytes = type.getResourceAsStream(file)) {
            if (bytes == null) {
              throw new IOException("no class file " + file);
            }
            digest.update(bytes.readAllBytes());
          }
        }
        digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
        code = ByteBuffer.wrap(digest.digest()).getLong();
      } catch (IOException | NoSuchAlgorithmException e) {
        codeUnknown = true;
        LOG.warnf("list snapshots are off: the list code cannot be read to tell builds apart (%s)", e.toString());
      }
    }
    return code;
  }

  /** The list in {@code snapshot} if it was made by this code from a list of this size and CRC, else null. */
  static BlockList load(Path snapshot, long size, long crc) {
    try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (channel.size() > Integer.MAX_VALUE || channel.size() < HEADER + Integer.BYTES) {
        return null;
      }
      // mapped rather than read: the tables are copied once, into the arrays that serve lookups
      ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      CRC32C check = new CRC32C();
      check.update(bytes.duplicate().limit(bytes.limit() - Integer.BYTES));
      if ((int) check.getValue() != bytes.getInt(bytes.limit() - Integer.BYTES)) {
        LOG.warnf("list snapshot %s is damaged; reading the list", snapshot);
        return null;
      }
      if (bytes.getLong() != MAGIC || bytes.getLong() != code() || bytes.getLong() != size || bytes.getLong() != crc) {
        return null; // made from another list or by another build: parsed and made again
      }
      int skipped = bytes.getInt();
      BlockList list = BlockList.fromSnapshot(table(bytes), table(bytes), table(bytes), table(bytes), skipped);
      return bytes.remaining() == Integer.BYTES ? list : null;
    } catch (IOException | RuntimeException | InternalError e) {
      // InternalError: the file was cut while mapped (a fault in the mapped range)
      LOG.warnf("list snapshot %s cannot be read (%s); reading the list", snapshot, e.toString());
      return null;
    }
  }

  private static LongHashSet table(ByteBuffer bytes) {
    int size = bytes.getInt();
    int length = bytes.getInt();
    if (length < 0 || (long) length * Long.BYTES > bytes.remaining()) {
      throw new IllegalArgumentException("a table of " + length + " slots in " + bytes.remaining() + " bytes");
    }
    long[] slots = new long[length];
    bytes.asLongBuffer().get(slots);
    bytes.position(bytes.position() + length * Long.BYTES);
    return LongHashSet.of(slots, size);
  }

  /** Writes {@code list}'s snapshot into {@code partial}, a new file of this user's. */
  static void write(BlockList list, Path partial, long size, long crc) throws IOException {
    try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
      Writer out = new Writer(channel);
      out.buffer.putLong(MAGIC).putLong(code()).putLong(size).putLong(crc).putInt(list.skippedLines());
      for (LongHashSet table : list.tables()) {
        out.room(2 * Integer.BYTES);
        out.buffer.putInt(table.size()).putInt(table.slots().length);
        for (long slot : table.slots()) {
          out.room(Long.BYTES);
          out.buffer.putLong(slot);
        }
      }
      out.finish();
    }
  }

  /** Writes through a 1 MiB buffer, keeping the CRC of what it wrote; finish() appends it. */
  private static final class Writer {
    final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();

    Writer(FileChannel channel) {
      this.channel = channel;
    }

    void room(int bytes) throws IOException {
      if (buffer.remaining() < bytes) {
        flush();
      }
    }

    void finish() throws IOException {
      flush();
      buffer.putInt((int) crc.getValue());
      buffer.flip();
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }

    private void flush() throws IOException {
      buffer.flip();
      crc.update(buffer.duplicate());
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      buffer.clear();
    }
  }
}
