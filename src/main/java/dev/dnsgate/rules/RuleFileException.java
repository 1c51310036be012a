package dev.dnsgate.rules;

/**
 * A problem in a rule file, with its message in the form "file:line: what is wrong" on one line
 * (parser messages and quoted file content may carry line breaks; a log line must not).
 */
public final class RuleFileException extends RuntimeException {

  public RuleFileException(String fileAndLine, String what) {
    super((fileAndLine + ": " + what).replaceAll("\\s*[\\r\\n]+\\s*", " "), null, false, false);
  }
}
