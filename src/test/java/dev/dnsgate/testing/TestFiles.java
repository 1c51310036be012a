package dev.dnsgate.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of test resources as files, for APIs that read files (TLS keys, CA files). */
public final class TestFiles {

  private TestFiles() {}

  public static String tls(String file) {
    URL url = TestFiles.class.getResource("/tls/" + file);
    if (url == null) {
      throw new IllegalArgumentException("no test resource tls/" + file);
    }
    try {
      return Path.of(url.toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
