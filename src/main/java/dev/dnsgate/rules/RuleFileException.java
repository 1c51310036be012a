package dev.dnsgate.rules;

/** A problem in a rule file, with its message already in the form "file:line: what is wrong". */
public final class RuleFileException extends RuntimeException {

  public RuleFileException(String fileAndLine, String what) {
    super(fileAndLine + ": " + what, null, false, false);
  }
}
