package dev.dnsgate.rules.match;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Where block lists come from: files under the rules folder, or http(s) URLs downloaded into a cache
 * folder and refreshed when older than the refresh interval. When a download fails the last good
 * copy keeps serving; only a URL never fetched successfully yields an empty list (with a warning),
 * because a resolver must start even while the list's host is unreachable.
 */
public final class ListSources {

  private static final Logger LOG = Logger.getLogger(ListSources.class);
  private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);

  private final Path cacheDir;
  private final Duration refresh;
  private final HttpClient http;
  /** Lists already read, by file identity; null when every load reads its file (the server). */
  private final Map<String, BlockList> read;
  /** Parsed lists kept between starts, in cacheDir/snapshots; null when off. */
  private final ListSnapshots snapshots;

  /** Where downloaded copies are kept. */
  public Path cacheDir() {
    return cacheDir;
  }

  /** How old a copy may get before it is fetched again. */
  public Duration refresh() {
    return refresh;
  }

  public ListSources(Path cacheDir, Duration refresh) {
    this(cacheDir, refresh, false);
  }

  /**
   * @param reuseUnchanged hand out the list already read when a file is unchanged (same real path,
   *     size and modification time) rather than read it again: for loading two rule folders that name
   *     the same lists (the what-if), where each copy of a 1M-name list costs seconds and 16 MB
   */
  public ListSources(Path cacheDir, Duration refresh, boolean reuseUnchanged) {
    this(cacheDir, refresh, reuseUnchanged, false);
  }

  /** @param snapshots keep each parsed list in {@code cacheDir/snapshots} for the next start ({@link ListSnapshots}) */
  public ListSources(Path cacheDir, Duration refresh, boolean reuseUnchanged, boolean snapshots) {
    this.cacheDir = cacheDir;
    this.snapshots = snapshots ? new ListSnapshots(cacheDir.resolve("snapshots")) : null;
    this.refresh = refresh;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    this.read = reuseUnchanged ? new ConcurrentHashMap<>() : null;
  }

  public static boolean isUrl(String source) {
    return source.startsWith("https://") || source.startsWith("http://");
  }

  /** Reads a list from a file, or from a URL through the cache; blocking, run off the event loop. */
  public BlockList load(String source, Path file) throws IOException {
    Path path = isUrl(source) ? localCopy(source) : file;
    if (path == null) {
      return new BlockList();
    }
    if (read == null) {
      return parse(path);
    }
    String identity = path.toRealPath() + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis();
    BlockList list = read.get(identity);
    if (list == null) {
      list = parse(path);
      read.put(identity, list);
    }
    return list;
  }

  private BlockList parse(Path file) throws IOException {
    return snapshots != null ? snapshots.read(file) : BlockList.read(file);
  }

  /**
   * The local copy of a URL, downloaded first when missing or older than the refresh interval; the
   * last good copy when the download fails; null when there has never been one. Blocking.
   */
  public Path localCopy(String url) {
    Path copy = cacheDir.resolve(digest(url, 12) + ".list");
    try {
      if (Files.exists(copy) && Files.getLastModifiedTime(copy).toInstant().isAfter(Instant.now().minus(refresh))) {
        return copy;
      }
      Files.createDirectories(cacheDir);
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(DOWNLOAD_TIMEOUT).build();
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new IOException("HTTP " + response.statusCode());
        }
        Path partial = cacheDir.resolve(copy.getFileName() + ".partial");
        Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      LOG.infof("downloaded %s", url);
    } catch (IOException e) {
      LOG.warnf("%s: download failed (%s); %s", url, e.getMessage(),
          Files.exists(copy) ? "serving the last good copy" : "no copy yet, list is empty");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Files.exists(copy) ? copy : null;
  }

  /**
   * A name for {@code text}'s file in the cache folder (a URL's copy, a zone's, a list's snapshot):
   * the first {@code bytes} bytes of its SHA-256, in hex.
   */
  public static String digest(String text, int bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
