package dev.dnsgate.rules.match;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The folder list snapshots live in, and whether what is in it can be trusted: a snapshot decides
 * what is blocked, so no other user may be able to put one there or swap the folder. Checked at
 * every use (a few stat calls):
 *
 * <ul>
 *   <li>the folder (links in the configured path resolved once per use, and the real path used from
 *       then on) is this user's, and not writable by group or others (dnsgate makes it owner-only);
 *   <li>every folder above it is this user's or root's, and not writable by group or others unless
 *       sticky (as /tmp is: there nobody may rename another's entry);
 *   <li>a snapshot is a regular file (not a link), this user's, not writable by group or others.
 * </ul>
 *
 * Linux only (the {@code unix} file attributes); elsewhere, and whenever a check fails, snapshots are
 * not used and the lists are parsed, with one warning per reason.
 */
final class SnapshotFolder {

  private static final Logger LOG = Logger.getLogger(SnapshotFolder.class);
  private static final int GROUP_OR_OTHER_WRITE = 0022;
  private static final int STICKY = 01000;
  private static final int FILE_TYPE = 0170000;
  private static final int REGULAR_FILE = 0100000;
  private static final int DIRECTORY = 0040000;
  /** A partial file this old was left by a process that died while writing it. */
  private static final Duration STALE_PARTIAL = Duration.ofHours(1);
  /** A snapshot not used for this long belongs to a list or a build that is gone. */
  private static final Duration STALE_SNAPSHOT = Duration.ofDays(7);

  private final Path dir;
  private String lastRefusal;
  private boolean swept;
  private int uid = -1;

  SnapshotFolder(Path dir) {
    this.dir = dir;
  }

  /**
   * The folder's real path (links in the configured path resolved once, here, and not followed
   * again), made if missing, when it can be trusted now; else null.
   */
  synchronized Path trusted() {
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path real = dir.toRealPath();
      int us = ourUid(real);
      String problem = problem(real, us, true);
      for (Path above = real.getParent(); problem == null && above != null; above = above.getParent()) {
        problem = problem(above, us, false);
      }
      if (problem != null) {
        return refuse(problem);
      }
      lastRefusal = null;
      return real;
    } catch (IOException | RuntimeException e) {
      return refuse(e.toString());
    }
  }

  /** Whether {@code snapshot} exists and can be trusted (a warning if it exists but cannot). */
  boolean trustedFile(Path snapshot) {
    try {
      Map<String, Object> attributes = Files.readAttributes(snapshot, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) attributes.get("mode");
      if ((mode & FILE_TYPE) != REGULAR_FILE || (Integer) attributes.get("uid") != uid
          || (mode & GROUP_OR_OTHER_WRITE) != 0) {
        LOG.warnf("list snapshot %s is not used: not a regular file of this user, or writable by others", snapshot);
        return false;
      }
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      LOG.warnf("list snapshot %s is not used: %s", snapshot, e.toString());
      return false;
    }
  }

  /** Notes that {@code snapshot} served a start (its time), so that the sweep keeps it. */
  void used(Path snapshot) {
    try {
      Files.setLastModifiedTime(snapshot, FileTime.from(Instant.now()));
    } catch (IOException e) {
      LOG.debugf("list snapshot %s: time not updated: %s", snapshot, e);
    }
  }

  /**
   * A new file of this user's only, under a name nobody else has (O_EXCL), beside {@code snapshot}
   * (in the real folder {@link #trusted()} gave), to write it into.
   */
  Path newPartial(Path snapshot) throws IOException {
    return Files.createTempFile(snapshot.getParent(), snapshot.getFileName() + ".", ".partial");
  }

  private static String problem(Path path, int us, boolean ours) throws IOException {
    Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
    int uid = (Integer) attributes.get("uid");
    int mode = (Integer) attributes.get("mode");
    boolean writableByOthers = (mode & GROUP_OR_OTHER_WRITE) != 0;
    if (ours) {
      if ((mode & FILE_TYPE) != DIRECTORY || uid != us || writableByOthers) {
        return path + " must be a folder of uid " + us + " that group and others cannot write (uid " + uid
            + ", mode " + Integer.toOctalString(mode & 07777) + ")";
      }
    } else if ((uid != us && uid != 0) || (writableByOthers && (mode & STICKY) == 0)) {
      return path + " (above the snapshots) must be this user's or root's, and not writable by group or others"
          + " unless sticky (uid " + uid + ", mode " + Integer.toOctalString(mode & 07777) + ")";
    }
    return null;
  }

  /**
   * The user id this process creates files as: the owner of a file made in {@code real} (the
   * process's /proc entry can belong to root, e.g. for a java given a capability to bind port 53).
   */
  private int ourUid(Path real) throws IOException {
    if (uid < 0) {
      Path probe = Files.createTempFile(real, "uid.", ".probe");
      try {
        uid = (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      } finally {
        Files.delete(probe);
      }
    }
    return uid;
  }

  private Path refuse(String why) {
    if (!why.equals(lastRefusal)) {
      lastRefusal = why;
      LOG.warnf("list snapshots in %s are not used (lists are parsed): %s", dir, why);
    }
    return null;
  }

  /**
   * Once per process, in the trusted folder {@code real}: partial files of writers that died, and
   * snapshots of other builds unused for a week (this build's are kept whatever their age: one may be
   * about to serve this start, and its time is refreshed only when it does).
   */
  synchronized void sweepOnce(Path real, String currentBuild) {
    if (swept) {
      return;
    }
    swept = true;
    sweep(real, "*.partial", STALE_PARTIAL, null);
    sweep(real, "*.snapshot", STALE_SNAPSHOT, currentBuild);
  }

  private static void sweep(Path real, String glob, Duration age, String keep) {
    Instant before = Instant.now().minus(age);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(real, glob)) {
      for (Path file : files) {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean kept = keep != null && file.getFileName().toString().contains(keep);
        if (attributes.isRegularFile() && !kept && attributes.lastModifiedTime().toInstant().isBefore(before)) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      LOG.debugf("stale files %s in %s not removed: %s", glob, real, e);
    }
  }
}
