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
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The folder list snapshots live in, and whether what is in it can be trusted: a snapshot decides
 * what is blocked, so no other user may be able to put one there or swap the folder. Checked at
 * every use (a few stat calls):
 *
 * <ul>
 *   <li>no link in the configured path but root's in root's folders that others cannot write (a
 *       link elsewhere could be repointed after the check); the real path is used from then on;
 *   <li>the folder is this user's, and not writable by group or others (dnsgate makes it owner-only);
 *   <li>every folder above it is this user's or root's, and not writable by group or others unless
 *       sticky (as /tmp is: there nobody may rename another's entry);
 *   <li>a snapshot is a regular file (not a link), this user's, not writable by group or others.
 * </ul>
 *
 * The sweep removes only the names ListSnapshots gives. Linux only (the {@code unix} file attributes,
 * /proc/self/status); elsewhere, and whenever a check fails, snapshots are
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
  /** The names ListSnapshots gives: the sweep touches nothing else. */
  private static final Pattern SNAPSHOT = Pattern.compile("[0-9a-f]{32}\\.[0-9a-f]+\\.snapshot");
  private static final Pattern PARTIAL = Pattern.compile("[0-9a-f]{32}\\.[0-9a-f]+\\.snapshot\\.[0-9]+\\.partial");
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
      String problem = linkProblem(dir.toAbsolutePath().normalize());
      if (problem != null) {
        return refuse(problem);
      }
      if (!Files.exists(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        problem = linkProblem(dir.toAbsolutePath().normalize()); // a link made while we made the folders
      }
      int us = ourUid();
      uid = us;
      Path real = dir.toRealPath();
      if (problem == null) {
        problem = problem(real, us, true);
      }
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

  /**
   * A link in the configured path could be changed by whoever owns it or its folder, after the check:
   * only root's links in root's folders that others cannot write (as /var/run) are accepted.
   */
  private static String linkProblem(Path configured) throws IOException {
    Path prefix = configured.getRoot();
    for (Path name : configured) {
      Path parent = prefix;
      prefix = prefix.resolve(name);
      if (!Files.isSymbolicLink(prefix)) {
        continue;
      }
      Map<String, Object> link = Files.readAttributes(prefix, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      Map<String, Object> folder = Files.readAttributes(parent, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
      if ((Integer) link.get("uid") != 0 || (Integer) folder.get("uid") != 0
          || ((Integer) folder.get("mode") & GROUP_OR_OTHER_WRITE) != 0) {
        return prefix + " is a link that someone other than root could change; give a path without links";
      }
    }
    return null;
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
   * The user id this process creates files as (the file-system uid of /proc/self/status, readable
   * even when /proc/self itself is root's, as for a java given a capability to bind port 53).
   */
  private static int ourUid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring(4).trim().split("\\s+");
        return Integer.parseInt(ids[ids.length - 1]);
      }
    }
    throw new IOException("no Uid line in /proc/self/status");
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
    sweep(real, PARTIAL, STALE_PARTIAL, null);
    sweep(real, SNAPSHOT, STALE_SNAPSHOT, currentBuild);
  }

  private static void sweep(Path real, Pattern names, Duration age, String keep) {
    Instant before = Instant.now().minus(age);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(real, f -> names.matcher(f.getFileName().toString()).matches())) {
      for (Path file : files) {
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          boolean kept = keep != null && file.getFileName().toString().contains(keep);
          if (attributes.isRegularFile() && !kept && attributes.lastModifiedTime().toInstant().isBefore(before)) {
            Files.deleteIfExists(file);
          }
        } catch (IOException e) {
          LOG.debugf("stale file %s not removed: %s", file, e); // another process renamed it, say
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debugf("stale files in %s not removed: %s", real, e);
    }
  }
}
