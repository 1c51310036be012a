package dev.dnsgate.rules.lint;

import dev.dnsgate.rules.Rule;
import dev.dnsgate.rules.match.Criteria;
import dev.dnsgate.rules.rewrite.RewriteKind;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Regexes (of {@code match:} and of rewrites) with a repeated group that itself holds a repeat ({@code (a+)+}, {@code (x*y?)*},
 * {@code (\w+\d*){2,}}): on a name that almost matches, Java's backtracking engine tries exponentially
 * many ways to split it, on the event loop. Alternatives that overlap ({@code (a|a)*}) are not found.
 */
final class BacktrackingRegexes {

  /**
   * {@code ([a-z0-9-]+\.)+}, the usual way to write "some labels": the repeat inside cannot take the
   * dot that ends each turn, so there is one way only to split a name, and no backtracking blow-up.
   */
  private static final Pattern LABEL_THEN_DOT =
      Pattern.compile("\\((?:\\?:)?(?:\\[[^\\]\\\\.^][^\\]\\\\.]*\\]|\\[\\^[^\\]]*\\.[^\\]]*\\]|\\\\[wd])[+*]\\\\\\.\\)");

  private BacktrackingRegexes() {}

  static void check(List<Rule> rules, List<LintFinding> findings) {
    for (Rule rule : rules) {
      List<Pattern> regexes = new ArrayList<>();
      Criteria c = RuleLint.criteria(rule);
      if (c.regexes() != null) {
        regexes.addAll(c.regexes());
      }
      if (rule.action() instanceof RewriteKind.Rewrite rewrite && rewrite.regex() != null) {
        regexes.add(rewrite.regex());
      }
      for (Pattern regex : regexes) {
        String nested = nestedRepeat(regex.pattern());
        if (nested != null) {
          findings.add(new LintFinding(rule.source(), "rule '" + rule.name() + "': regex '" + regex.pattern()
              + "' repeats a group that holds a repeat (" + nested + "), which can backtrack catastrophically"
              + " on a long name; repeat one or the other, not both"));
        }
      }
    }
  }

  /** The first repeated group that holds an unbounded repeat, as written, or null. */
  static String nestedRepeat(String regex) {
    int[] groupStart = new int[regex.length() + 1];
    boolean[] holdsRepeat = new boolean[regex.length() + 1];
    int depth = 0;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        i = classEnd(regex, i);
      } else if (c == '(') {
        depth++;
        groupStart[depth] = i;
        holdsRepeat[depth] = false;
      } else if (c == ')' && depth > 0) {
        boolean inner = holdsRepeat[depth];
        int start = groupStart[depth];
        depth--;
        int after = repeatEnd(regex, i + 1);
        if (after > 0 && inner && !LABEL_THEN_DOT.matcher(regex.substring(start, i + 1)).matches()) {
          return regex.substring(start, after);
        }
        holdsRepeat[depth] |= inner || after > 0;
      } else if (repeatEnd(regex, i) > 0) {
        holdsRepeat[depth] = true;
      }
    }
    return null;
  }

  /** End of an unbounded or many-times repeat starting at {@code i} ({@code * + {n,} {n,m>1}}), or -1. */
  private static int repeatEnd(String regex, int i) {
    if (i >= regex.length()) {
      return -1;
    }
    char c = regex.charAt(i);
    if (c == '*' || c == '+') {
      return i + 1;
    }
    if (c != '{') {
      return -1;
    }
    int close = regex.indexOf('}', i);
    if (close < 0) {
      return -1;
    }
    String[] bounds = regex.substring(i + 1, close).split(",", -1);
    try {
      boolean many = bounds.length == 2 && (bounds[1].isEmpty() || Integer.parseInt(bounds[1].strip()) > 1)
          || bounds.length == 1 && Integer.parseInt(bounds[0].strip()) > 1;
      return many ? close + 1 : -1;
    } catch (NumberFormatException e) {
      return -1; // a literal brace, not a repeat
    }
  }

  /** Index of the ']' closing the class opened at {@code open}. */
  private static int classEnd(String regex, int open) {
    int i = open + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++;
    }
    for (; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ']') {
        return i;
      }
    }
    return regex.length();
  }
}
