package dev.dnsgate.rules.match;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * Parsed block lists kept on disk between starts, so that a restart does not parse a big list again:
 * a 1M-name list took 0.5-0.9 s of a ~2 s start to parse, and its snapshot reads in tens of ms
 * (BENCHMARKS.md, Start-up). A snapshot is the list's hash tables as they are in memory, and is used
 * only when everything it was made from is unchanged:
 *
 * <ul>
 *   <li>the list file's bytes (its size and CRC-32C, read again at every start: a copy with the same
 *       modification time but other names, as container images make, is not taken for the old one);
 *   <li>the code that parses and hashes lists (a digest of those classes' bytes, so a new build
 *       never reads an old build's tables);
 *   <li>the snapshot itself (a CRC-32C over it, and hash tables that a lookup can walk).
 * </ul>
 *
 * A snapshot decides what is blocked, so it is only trusted in a folder that no other user can write:
 * the folder is made owner-only, and one owned by someone else, or open to group or others, is not
 * used (with a warning). Anything wrong with a snapshot means reading the list itself, never failing.
 */
public final class ListSnapshots {

  private static final Logger LOG = Logger.getLogger(ListSnapshots.class);
  private static final long MAGIC = 0x444E53474C495354L; // "DNSGLIST"
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  /** The classes whose code decides what a snapshot holds. */
  private static final Class<?>[] FORMAT = {BlockList.class, DomainSet.class, LongHashSet.class, LabelHash.class,
      ListSnapshots.class};
  private static final long CODE = codeDigest();
  private static final int CHUNK = 1 << 20;
  /** Magic, code digest, list size and CRC, skipped lines; the snapshot's CRC after the tables. */
  private static final int HEADER = 4 * Long.BYTES + Integer.BYTES;

  /** Below this a list parses in milliseconds: a snapshot would only add a file. */
  static final long MIN_LIST_BYTES = 1 << 20;

  private final Path dir;
  private final long minListBytes;
  private volatile boolean refused;
  private volatile boolean checked;

  public ListSnapshots(Path dir) {
    this(dir, MIN_LIST_BYTES);
  }

  ListSnapshots(Path dir, long minListBytes) {
    this.dir = dir;
    this.minListBytes = minListBytes;
  }

  /**
   * The list in {@code file}: from its snapshot when one fits, else parsed and then snapshotted (a
   * list of 1 MiB or more; smaller ones are always parsed).
   */
  public BlockList read(Path file) throws IOException {
    long size = Files.size(file);
    Path snapshot = size >= minListBytes && usableDir() ? dir.resolve(name(file)) : null;
    if (snapshot == null) {
      return BlockList.read(file);
    }
    long crc = fileCrc(file);
    if (Files.isRegularFile(snapshot)) {
      BlockList list = load(snapshot, size, crc);
      if (list != null) {
        return list;
      }
    }
    BlockList list = BlockList.read(file);
    save(list, snapshot, size, crc);
    return list;
  }

  private static long fileCrc(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(chunk.clear()) > 0) {
        crc.update(chunk.flip());
      }
    }
    return crc.getValue();
  }

  /**
   * Whether the folder exists (made owner-only if not) and only its owner, this process's user, can
   * write it. The user is the owner of a file made there: a container may run as a user id with no
   * name, so it is not looked up by name.
   */
  private boolean usableDir() {
    if (refused) {
      return false;
    }
    if (checked && Files.isDirectory(dir)) {
      return true;
    }
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (view != null) {
          view.setPermissions(OWNER_ONLY);
        }
      }
      PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
      if (view != null) {
        PosixFileAttributes attributes = view.readAttributes();
        Path probe = Files.createTempFile(dir, "owner", ".probe");
        UserPrincipal us;
        try {
          us = Files.getOwner(probe);
        } finally {
          Files.delete(probe);
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (!attributes.owner().equals(us) || permissions.contains(PosixFilePermission.GROUP_WRITE)
            || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
          return refuse("owned by " + attributes.owner().getName() + " with permissions "
              + PosixFilePermissions.toString(permissions) + "; it must be this user's and not writable by others");
        }
      }
      checked = true;
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return refuse(e.toString());
    }
  }

  private boolean refuse(String why) {
    refused = true;
    LOG.warnf("list snapshots in %s are not used (lists are parsed at every start): %s", dir, why);
    return false;
  }

  /** One snapshot per list file, named after its real path. */
  private static String name(Path file) throws IOException {
    byte[] path = file.toRealPath().toString().getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(sha256(path), 0, 16) + ".snapshot";
  }

  private static BlockList load(Path snapshot, long size, long crc) {
    try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.READ)) {
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
      if (bytes.getLong() != MAGIC || bytes.getLong() != CODE || bytes.getLong() != size || bytes.getLong() != crc) {
        return null; // made from another list or by another build: parsed and made again
      }
      int skipped = bytes.getInt();
      BlockList list = BlockList.fromSnapshot(table(bytes), table(bytes), table(bytes), table(bytes), skipped);
      return bytes.remaining() == Integer.BYTES ? list : null;
    } catch (IOException | RuntimeException e) {
      LOG.warnf("list snapshot %s cannot be read (%s); reading the list", snapshot, e.toString());
      return null;
    }
  }

  private static LongHashSet table(ByteBuffer bytes) {
    int size = bytes.getInt();
    long[] slots = new long[bytes.getInt()];
    bytes.asLongBuffer().get(slots);
    bytes.position(bytes.position() + slots.length * Long.BYTES);
    return LongHashSet.of(slots, size);
  }

  /** Written beside and moved into place, so that a reader never sees half of one. */
  private static void save(BlockList list, Path snapshot, long size, long crc) {
    Path partial = snapshot.resolveSibling(snapshot.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
    try {
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        Writer out = new Writer(channel);
        out.buffer.putLong(MAGIC).putLong(CODE).putLong(size).putLong(crc).putInt(list.skippedLines());
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
      Files.move(partial, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warnf("list snapshot %s not written: %s", snapshot, e.toString());
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // nothing more to do: the next start parses the list again
      }
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

  private static long codeDigest() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Class<?> type : FORMAT) {
        try (InputStream code = type.getResourceAsStream(type.getSimpleName() + ".class")) {
          if (code == null) {
            throw new IllegalStateException("no class file for " + type.getName());
          }
          digest.update(code.readAllBytes());
        }
      }
      return ByteBuffer.wrap(digest.digest()).getLong();
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest the list code", e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
