package dev.dnsgate.rules.match;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * Parsed block lists kept on disk between starts, so that a restart does not parse a big list again:
 * a 1M-name list took 0.6-0.9 s of a ~2 s start to parse, and its snapshot reads in tens of ms
 * (BENCHMARKS.md, "Start-up with list snapshots"). A snapshot ({@link SnapshotFile}) is the list's
 * hash tables as they are in memory, and is used only when everything it was made from is unchanged:
 *
 * <ul>
 *   <li>the list file's bytes (its size and CRC-32C, read again at every start: a copy with the same
 *       modification time but other names, as container images make, is not taken for the old one);
 *   <li>the code that parses and hashes lists, and the JDK (a digest, so a new build never reads an
 *       old build's tables);
 *   <li>the snapshot itself (a CRC-32C over it, and hash tables that a lookup can walk);
 *   <li>where it is: a folder only this user can change ({@link SnapshotFolder}).
 * </ul>
 *
 * Lists under 1 MiB parse in milliseconds and get none. Anything wrong with a snapshot means parsing
 * the list, never failing.
 */
public final class ListSnapshots {

  private static final Logger LOG = Logger.getLogger(ListSnapshots.class);
  /** Below this a list parses in milliseconds: a snapshot would only add a file. */
  static final long MIN_LIST_BYTES = 1 << 20;
  private static final int CHUNK = 1 << 20;

  private final SnapshotFolder folder;
  private final long minListBytes;

  public ListSnapshots(Path dir) {
    this(dir, MIN_LIST_BYTES);
  }

  ListSnapshots(Path dir, long minListBytes) {
    this.folder = new SnapshotFolder(dir);
    this.minListBytes = minListBytes;
  }

  /** The list in {@code file}: from its snapshot when one fits, else parsed (and snapshotted). */
  public BlockList read(Path file) throws IOException {
    long size = Files.size(file);
    Path dir = size >= minListBytes && SnapshotFile.code() != null ? folder.trusted() : null;
    if (dir == null) {
      return BlockList.read(file);
    }
    folder.sweepOnce(dir, build());
    long crc = crc(file);
    Path snapshot = dir.resolve(name(file));
    if (folder.trustedFile(snapshot)) {
      BlockList list = SnapshotFile.load(snapshot, size, crc);
      if (list != null) {
        folder.used(snapshot);
        return list;
      }
    }
    BlockList list = BlockList.read(file);
    if (unchanged(file, size, crc)) {
      save(list, snapshot, size, crc);
    } else {
      LOG.infof("list %s changed while it was read: no snapshot this time", file);
    }
    return list;
  }

  /** A list replaced while it was parsed would otherwise be remembered under the old one's CRC. */
  private static boolean unchanged(Path file, long size, long crc) {
    try {
      return Files.size(file) == size && crc(file) == crc;
    } catch (IOException e) {
      return false; // gone or unreadable since: the parsed list serves, unsnapshotted
    }
  }

  /** The part of a snapshot's name that tells builds (and JDKs) apart. */
  private static String build() {
    return "." + Long.toHexString(SnapshotFile.code()) + ".";
  }

  private static long crc(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(chunk.clear()) > 0) {
        crc.update(chunk.flip());
      }
    }
    return crc.getValue();
  }

  /** Written into a file of its own and moved into place, so that a reader never sees half of one. */
  private void save(BlockList list, Path snapshot, long size, long crc) {
    Path partial = null;
    try {
      partial = folder.newPartial(snapshot);
      SnapshotFile.write(list, partial, size, crc);
      Files.move(partial, snapshot, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("list snapshot %s not written: %s", snapshot, e.toString());
      deleteQuietly(partial);
    }
  }

  private static void deleteQuietly(Path partial) {
    if (partial == null) {
      return;
    }
    try {
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      LOG.debugf("partial snapshot %s left: %s", partial, e);
    }
  }

  /**
   * One snapshot per list file and build, named after the list's real path and the code digest: two
   * builds or JDKs sharing the folder (an upgrade and its rollback) keep one each instead of
   * replacing each other's at every start.
   */
  private static String name(Path file) throws IOException {
    return ListSources.digest(file.toRealPath().toString(), 16) + build() + "snapshot";
  }
}
