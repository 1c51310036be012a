package dev.dnsgate.rules.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** Parsed lists kept between starts: used only when list, code and snapshot are as they were. */
class ListSnapshotsTest {

  private static final String LIST = String.join("\n",
      "# a comment",
      "0.0.0.0 ads.example tracker.example",
      "*.below.example",
      "||adblock.example^",
      "@@||good.ads.example^",
      "not a domain line",
      "");

  @TempDir Path work;

  private Path list(String text) throws Exception {
    Path file = work.resolve("list.txt");
    Files.writeString(file, text);
    return file;
  }

  private Path snapshotDir() {
    return work.resolve("snapshots");
  }

  private static boolean blocks(BlockList list, String name) throws Exception {
    return list.blocks(Name.fromString(name, Name.root));
  }

  private static List<Boolean> verdicts(BlockList list) throws Exception {
    return List.of(blocks(list, "ads.example."), blocks(list, "x.tracker.example."), blocks(list, "below.example."),
        blocks(list, "a.below.example."), blocks(list, "adblock.example."), blocks(list, "good.ads.example."),
        blocks(list, "other.example."));
  }

  @Test
  void theNextReadComesFromTheSnapshotAndBlocksTheSameNames() throws Exception {
    Path file = list(LIST);
    ListSnapshots snapshots = new ListSnapshots(snapshotDir(), 0);
    BlockList parsed = snapshots.read(file);
    BlockList again = snapshots.read(file);

    assertFalse(parsed.fromSnapshot());
    assertTrue(again.fromSnapshot());
    assertEquals(List.of(true, true, false, true, true, false, false), verdicts(parsed));
    assertEquals(verdicts(parsed), verdicts(again));
    assertEquals(parsed.entries(), again.entries());
    assertEquals(parsed.skippedLines(), again.skippedLines());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshotDir())));
  }

  @Test
  void aBigListReadInSlicesComesBackWhole() throws Exception {
    Path file = list(IntStream.range(0, 100_000).mapToObj(i -> "0.0.0.0 host" + i + ".big.example")
        .collect(Collectors.joining("\n")));
    ListSnapshots snapshots = new ListSnapshots(snapshotDir(), 0);
    BlockList parsed = snapshots.read(file);
    BlockList again = snapshots.read(file);

    assertTrue(again.fromSnapshot());
    assertEquals(100_000, again.entries());
    assertEquals(parsed.entries(), again.entries());
    assertTrue(blocks(again, "host0.big.example.") && blocks(again, "host99999.big.example."));
    assertFalse(blocks(again, "host100000.big.example."));
  }

  @Test
  void aListChangedWithTheSameSizeAndTimeIsParsedAgain() throws Exception {
    Path file = list(LIST);
    ListSnapshots snapshots = afterOneRead(file);
    FileTime time = Files.getLastModifiedTime(file);
    Files.writeString(file, LIST.replace("ads.example", "adz.example"));
    Files.setLastModifiedTime(file, time);

    BlockList changed = snapshots.read(file);
    assertFalse(changed.fromSnapshot());
    assertTrue(blocks(changed, "adz.example."));
    assertFalse(blocks(changed, "ads.example."));
  }

  @Test
  void aDamagedOrCutSnapshotIsIgnoredAndMadeAgain() throws Exception {
    Path file = list(LIST);
    ListSnapshots snapshots = afterOneRead(file);
    Path snapshot = onlySnapshot();
    try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(new byte[] {0x55}), 35); // the skipped-lines count: only the CRC tells
    }
    BlockList afterDamage = snapshots.read(file);
    assertFalse(afterDamage.fromSnapshot());
    assertEquals(List.of(true, true, false, true, true, false, false), verdicts(afterDamage));
    assertEquals(1, afterDamage.skippedLines());
    assertTrue(snapshots.read(file).fromSnapshot(), "the damaged one was replaced");

    try (FileChannel channel = FileChannel.open(snapshot, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }
    assertFalse(snapshots.read(file).fromSnapshot());
  }

  @Test
  void aSnapshotThatIsALinkIsNotUsed() throws Exception {
    Path file = list(LIST);
    ListSnapshots snapshots = afterOneRead(file);
    Path snapshot = onlySnapshot();
    Path elsewhere = Files.move(snapshot, work.resolve("elsewhere.snapshot"));
    Files.createSymbolicLink(snapshot, elsewhere);

    assertFalse(snapshots.read(file).fromSnapshot());
  }

  @Test
  void aFolderAboveThatOthersCanWriteIsNotTrustedUnlessSticky() throws Exception {
    Path file = list(LIST);
    Path shared = work.resolve("shared");
    Files.createDirectories(shared);
    Files.setAttribute(shared, "unix:mode", 0777);
    ListSnapshots snapshots = new ListSnapshots(shared.resolve("snapshots"), 0);
    snapshots.read(file);
    assertFalse(snapshots.read(file).fromSnapshot(), "anyone could swap the snapshots folder");

    Files.setAttribute(shared, "unix:mode", 01777);
    snapshots.read(file);
    assertTrue(snapshots.read(file).fromSnapshot(), "sticky, as /tmp: nobody can move another's folder");
  }

  @Test
  void aFolderOthersCanWriteIsNotUsed() throws Exception {
    Path file = list(LIST);
    Files.createDirectories(snapshotDir());
    Files.setPosixFilePermissions(snapshotDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
    ListSnapshots snapshots = afterOneRead(file);

    BlockList again = snapshots.read(file);
    assertFalse(again.fromSnapshot());
    assertTrue(blocks(again, "ads.example."));
    try (var files = Files.list(snapshotDir())) {
      assertEquals(0, files.count(), "nothing written where others could change it");
    }
  }

  @Test
  void aFolderOwnedBySomeoneElseIsNotUsed() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a folder away");
    Path file = list(LIST);
    Files.createDirectories(snapshotDir());
    Files.setPosixFilePermissions(snapshotDir(), PosixFilePermissions.fromString("rwx------"));
    Files.setOwner(snapshotDir(), work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    ListSnapshots snapshots = afterOneRead(file);

    assertFalse(snapshots.read(file).fromSnapshot());
    try (var files = Files.list(snapshotDir())) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void snapshotsUnusedForAWeekAreSweptAndUsedOnesKept() throws Exception {
    Path file = list(LIST);
    new ListSnapshots(snapshotDir(), 0).read(file);
    Path own = onlySnapshot();
    Path gone = Files.writeString(snapshotDir().resolve("0".repeat(32) + ".0b501e7e.snapshot"), "another build's");
    Path recent = Files.writeString(snapshotDir().resolve("0".repeat(32) + ".4ecef7.snapshot"), "a rollback's");
    Instant eightDaysAgo = Instant.now().minus(Duration.ofDays(8));
    Files.setLastModifiedTime(gone, FileTime.from(eightDaysAgo));
    Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
    Files.setLastModifiedTime(own, FileTime.from(eightDaysAgo)); // this build's: a long uptime since

    assertTrue(new ListSnapshots(snapshotDir(), 0).read(file).fromSnapshot(), "this build's are never swept");
    assertFalse(Files.exists(gone), "another build's, unused for 8 days");
    assertTrue(Files.exists(recent), "another build's, used yesterday");
  }

  @Test
  void aSnapshotThatServesAStartCountsAsUsed() throws Exception {
    Path file = list(LIST);
    ListSnapshots snapshots = afterOneRead(file);
    Path own = onlySnapshot();
    Files.setLastModifiedTime(own, FileTime.from(Instant.now().minus(Duration.ofDays(6))));

    assertTrue(snapshots.read(file).fromSnapshot());
    assertTrue(Files.getLastModifiedTime(own).toInstant().isAfter(Instant.now().minus(Duration.ofHours(1))));
  }

  @Test
  void aFolderReachedThroughALinkIsCheckedWhereTheLinkLeads() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a folder away");
    Path file = list(LIST);
    Path ours = Files.createDirectories(work.resolve("ours"));
    Path link = Files.createSymbolicLink(work.resolve("link"), ours);
    ListSnapshots snapshots = afterOneReadIn(link.resolve("snapshots"), file);
    assertTrue(snapshots.read(file).fromSnapshot());
    assertTrue(Files.isDirectory(ours.resolve("snapshots"), LinkOption.NOFOLLOW_LINKS), "written where the link led");

    Path theirs = Files.createDirectories(work.resolve("theirs"));
    copyTree(ours, theirs);
    Files.setOwner(theirs, work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
    Files.delete(link);
    Files.createSymbolicLink(link, theirs);
    assertFalse(snapshots.read(file).fromSnapshot(), "the new target belongs to someone else");
  }

  @Test
  void aLinkInAFolderOthersCanWriteIsNotFollowed() throws Exception {
    Path file = list(LIST);
    Path ours = Files.createDirectories(work.resolve("ours"));
    Path shared = Files.createDirectories(work.resolve("shared"));
    Files.setAttribute(shared, "unix:mode", 01777);
    Path link = Files.createSymbolicLink(shared.resolve("link"), ours);
    ListSnapshots snapshots = afterOneReadIn(link.resolve("snapshots"), file);

    assertFalse(snapshots.read(file).fromSnapshot(), "another user could repoint the link");
    assertFalse(Files.exists(ours.resolve("snapshots")), "nothing made where the link led");
  }

  @Test
  void theSweepTouchesOnlyNamesItGives() throws Exception {
    Path file = list(LIST);
    Files.createDirectories(snapshotDir());
    Files.setPosixFilePermissions(snapshotDir(), PosixFilePermissions.fromString("rwx------"));
    Path foreign = Files.writeString(snapshotDir().resolve("notes.snapshot"), "not ours");
    Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
    afterOneRead(file);

    assertTrue(Files.exists(foreign));
  }

  @Test
  void aTableALookupCouldNotWalkIsRefused() {
    long[] full = new long[16];
    Arrays.fill(full, 7);
    assertThrows(IllegalArgumentException.class, () -> LongHashSet.of(full, 16));
    assertThrows(IllegalArgumentException.class, () -> LongHashSet.of(new long[16], 1));
    assertThrows(IllegalArgumentException.class, () -> LongHashSet.of(new long[24], 0));
  }

  @Test
  void aSmallListIsAlwaysParsed() throws Exception {
    Path file = list(LIST);
    ListSnapshots snapshots = new ListSnapshots(snapshotDir());
    snapshots.read(file);

    assertFalse(snapshots.read(file).fromSnapshot());
    assertFalse(Files.exists(snapshotDir()), "no folder made for lists below " + ListSnapshots.MIN_LIST_BYTES + " bytes");
  }

  @Test
  void listSourcesKeepSnapshotsInTheCacheFolderWhenAsked() throws Exception {
    Path file = list(bigList());
    Path cache = work.resolve("cache");
    new ListSources(cache, Duration.ofDays(1), false, true).load(file.toString(), file);

    assertTrue(new ListSources(cache, Duration.ofDays(1), false, true).load(file.toString(), file).fromSnapshot());
    assertFalse(new ListSources(cache, Duration.ofDays(1), false, false).load(file.toString(), file).fromSnapshot());
  }

  /** A list just over the size from which snapshots are kept. */
  private static String bigList() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < ListSnapshots.MIN_LIST_BYTES; i++) {
      text.append("0.0.0.0 host").append(i).append(".big.example\n");
    }
    return text.toString();
  }

  /** Snapshots in the test's folder (any list size), after a first read of {@code file} made one. */
  private ListSnapshots afterOneRead(Path file) throws Exception {
    return afterOneReadIn(snapshotDir(), file);
  }

  private static ListSnapshots afterOneReadIn(Path dir, Path file) throws Exception {
    ListSnapshots snapshots = new ListSnapshots(dir, 0);
    snapshots.read(file);
    return snapshots;
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private Path onlySnapshot() throws Exception {
    try (var files = Files.list(snapshotDir())) {
      List<Path> all = files.toList();
      assertEquals(1, all.size(), all.toString());
      return all.get(0);
    }
  }
}
