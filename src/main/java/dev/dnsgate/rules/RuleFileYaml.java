package dev.dnsgate.rules;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads one rule file into a YAML node tree (lines kept for messages). Every way a file can be
 * unreadable (not UTF-8, a control character, broken YAML) becomes one "file:line: what" error.
 */
final class RuleFileYaml {

  private RuleFileYaml() {}

  /** The file's root node, or null for an empty file. */
  static Node compose(Path file) {
    String text = utf8(file);
    try {
      return new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
      throw new RuleFileException(file + ":" + line, "YAML syntax: " + e.getProblem());
    } catch (ReaderException e) {
      throw new RuleFileException(file + ":" + lineAt(text, e.getPosition()),
          String.format("character U+%04X is not allowed in YAML", e.getCodePoint()));
    } catch (RuntimeException e) {
      // SnakeYAML's own unchecked errors, and a few it lets through from inside (a truncated escape
      // such as "\x at the end of a file fails in Integer.parseInt)
      throw new RuleFileException(file.toString(), "YAML the parser cannot read: " + e);
    }
  }

  private static String utf8(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new RuleFileException(file.toString(), "cannot read: " + e.getMessage());
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new RuleFileException(file + ":" + line, "not UTF-8 text (byte " + in.position() + ")");
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** Line of the {@code codePoint}-th code point (SnakeYAML counts positions in code points). */
  private static int lineAt(String text, int codePoint) {
    int line = 1;
    int offset = 0;
    for (int i = 0; i < codePoint && offset < text.length(); i++) {
      int c = text.codePointAt(offset);
      line += c == '\n' ? 1 : 0;
      offset += Character.charCount(c);
    }
    return line;
  }
}
