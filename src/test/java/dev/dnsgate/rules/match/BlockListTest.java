package dev.dnsgate.rules.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

class BlockListTest {

  static final String LIST = String.join("\n",
      "# comment",
      "! adblock comment",
      "[Adblock Plus 2.0]",
      "0.0.0.0 hosts.example",
      "127.0.0.1 one.example two.example  # trailing comment",
      ":: six.example",
      "127.0.0.1 localhost",
      "plain.example",
      "*.below.example",
      "||adblock.example^",
      "@@||ok.adblock.example^",
      "||path.example/banner.gif",
      "||mod.example^$third-party",
      "bücher.example",
      "10.1.1.1 not-a-sink.example",
      "bad..name",
      "-leadinghyphen.example");

  static BlockList list() throws Exception {
    return read(LIST);
  }

  static BlockList read(String text) throws IOException {
    Path file = Files.createTempFile("blocklist", ".txt");
    try {
      Files.writeString(file, text);
      return BlockList.read(file);
    } finally {
      Files.delete(file);
    }
  }

  @ParameterizedTest(name = "{0} blocked={1}")
  @CsvSource({
    "hosts.example, true",
    "HOSTS.Example, true",
    "sub.hosts.example, true",
    "xhosts.example, false",
    "two.example, true",
    "six.example, true",
    "localhost, false",
    "plain.example, true",
    "below.example, false",
    "a.below.example, true",
    "adblock.example, true",
    "x.adblock.example, true",
    "ok.adblock.example, false",
    "deep.ok.adblock.example, false",
    "path.example, false",
    "mod.example, false",
    "xn--bcher-kva.example, true",
    "not-a-sink.example, false",
    "example, false"
  })
  void formatsAndLabelWiseMatching(String name, boolean blocked) throws Exception {
    assertEquals(blocked, list().blocks(Name.fromString(name, Name.root)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "null", value = {
    "Ads.Example., ads.example",
    "*.ads.example, *.ads.example",
    "_dmarc.ads.example, _dmarc.ads.example",
    "a-b.example, a-b.example",
    "trailing-.example, null",
    "a..example, null",
    ".example, null",
    "ads.example.., null",
    "a+b.example, null",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example, null"
  })
  void namesAreNormalisedOrRefusedLabelByLabel(String text, String normalized) {
    assertEquals(normalized, BlockList.normalize(text));
  }

  @org.junit.jupiter.api.Test
  void fieldsMaySeparateWithTabsAndRunsOfSpaces() throws Exception {
    BlockList list = read("0.0.0.0\ttab.example\n127.0.0.1 \t  a.example\t\tb.example \n");
    assertEquals(3, list.entries());
    assertEquals(0, list.skippedLines());
    assertEquals(true, list.blocks(Name.fromString("b.example.")));
  }

  @org.junit.jupiter.api.Test
  void aLargeListReadInSlicesIsTheListReadWhole(@TempDir Path dir) throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 3 << 20; i++) {
      text.append(switch (i % 5) {
        case 0 -> "0.0.0.0 d" + i + ".ads.example\n";
        case 1 -> "||a" + i + ".example^\r\n";
        case 2 -> "@@||ok" + i + ".example^\r";
        case 3 -> "bücher" + i + ".example # a comment\n";
        default -> "10.0.0.1 not-a-sink" + i + ".example\n";
      });
    }
    Path file = dir.resolve("big.txt");
    Files.writeString(file, text.append("0.0.0.0 last.example"));

    BlockList whole = BlockList.read(file, 1);
    BlockList sliced = BlockList.read(file, 3);

    assertEquals(whole.entries(), sliced.entries());
    assertEquals(whole.skippedLines(), sliced.skippedLines());
    assertEquals(whole.sharedEntries(sliced), whole.sharedEntries(whole));
    assertTrue(sliced.blocks(Name.fromString("last.example.")));
    assertTrue(sliced.blocks(Name.fromString(java.net.IDN.toASCII("bücher3.example."))));
    assertFalse(sliced.blocks(Name.fromString("ok2.example.")));
  }

  @org.junit.jupiter.api.Test
  void aListThatIsNotUtf8CannotBeRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latin1.txt");
    Files.write(file, "0.0.0.0 b\u00fccher.example\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThrows(CharacterCodingException.class, () -> BlockList.read(file));
  }

  @org.junit.jupiter.api.Test
  void malformedLinesAreSkippedAndCounted() throws Exception {
    // path, modifier, non-sink address, empty label, leading hyphen
    assertEquals(5, list().skippedLines());
  }
}
