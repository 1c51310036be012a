package dev.dnsgate.rules.rewrite;

import dev.dnsgate.rules.Outcome;
import dev.dnsgate.rules.Phase;
import dev.dnsgate.rules.RuleAction;
import dev.dnsgate.rules.RuleFileException;
import dev.dnsgate.rules.RuleKindBase;
import dev.dnsgate.rules.RuleQuery;
import dev.dnsgate.rules.RuleSpec;
import dev.dnsgate.rules.match.Matchers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code action: rewrite}: the query continues under another name (and optionally type), and the
 * answer is rewritten back so the client sees the name it asked for (CoreDNS rewrite "answer auto").
 * Exactly one of {@code exact:}, {@code suffix:} or {@code regex:} says what to rewrite;
 * {@code to:} says into what (for regex, with $1... capture groups); {@code to-type:} changes the type.
 */
@ApplicationScoped
public class RewriteKind extends RuleKindBase {

  public RewriteKind() {
    super("rewrite", Phase.REWRITE, Set.of("exact", "suffix", "regex", "to", "to-type"));
  }

  @Override
  public RuleAction build(RuleSpec spec) {
    long forms = Set.of("exact", "suffix", "regex").stream().filter(spec::has).count();
    if (forms != 1) {
      throw new RuleFileException(spec.where(), "a rewrite needs exactly one of exact, suffix or regex");
    }
    String to = spec.string("to");
    NameMapping mapping;
    Pattern pattern = null;
    if (spec.has("exact")) {
      mapping = exact(Matchers.name(spec, "exact", spec.string("exact")), Matchers.name(spec, "to", to));
    } else if (spec.has("suffix")) {
      mapping = suffix(Matchers.name(spec, "suffix", spec.string("suffix")), Matchers.name(spec, "to", to));
    } else {
      pattern = Matchers.regex(spec, "regex", spec.string("regex"));
      checkReplacement(spec, to, pattern.matcher("").groupCount());
      mapping = regex(pattern, to);
    }
    int toType = spec.optionalString("to-type").map(t -> type(spec, t)).orElse(-1);
    return new Rewrite(mapping, toType, pattern);
  }

  /**
   * A rewrite rule's action.
   *
   * @param regex the {@code regex:} of a regex rewrite (for the lint), or null
   */
  public record Rewrite(NameMapping mapping, int toType, Pattern regex) implements RuleAction {
    @Override
    public Outcome apply(RuleQuery query) {
      return RewriteKind.apply(query, mapping, toType);
    }
  }

  private static Outcome apply(RuleQuery query, NameMapping mapping, int toType) {
    Name original = query.name();
    Name rewritten = mapping.forward(original);
    if (rewritten == null) {
      return null;
    }
    int type = toType < 0 ? query.type() : toType;
    query.rewrite(rewritten, type, new AnswerReverter(mapping, original, rewritten));
    return Outcome.CONTINUE;
  }

  private static int type(RuleSpec spec, String text) {
    int type = Type.value(text.toUpperCase());
    if (type < 0) {
      throw spec.error("to-type", "'" + text + "' is not a DNS type");
    }
    return type;
  }

  /**
   * Java's replacement syntax, checked when the file loads rather than failing on every query: a
   * backslash escapes the next character, and {@code $} must be followed by an existing group number.
   */
  static void checkReplacement(RuleSpec spec, String replacement, int groups) {
    for (int i = 0; i < replacement.length(); i++) {
      char c = replacement.charAt(i);
      if (c == '\\' && ++i == replacement.length()) {
        throw spec.error("to", "'" + replacement + "' ends with a lone backslash");
      }
      if (c == '$') {
        int group = ++i < replacement.length() ? Character.digit(replacement.charAt(i), 10) : -1;
        if (group < 0 || group > groups) {
          throw spec.error("to", "'" + replacement + "': '$' must be followed by a group number from 0 to "
              + groups + " (write \\$ for a dollar sign)");
        }
      }
    }
  }

  static NameMapping exact(Name from, Name to) {
    return new NameMapping() {
      @Override
      public Name forward(Name name) {
        return name.equals(from) ? to : null;
      }

      @Override
      public Name back(Name name, Name original, Name rewritten) {
        return name.equals(rewritten) ? original : null;
      }
    };
  }

  static NameMapping suffix(Name from, Name to) {
    return new NameMapping() {
      @Override
      public Name forward(Name name) {
        return name.subdomain(from) ? replaceSuffix(name, from, to) : null;
      }

      @Override
      public Name back(Name name, Name original, Name rewritten) {
        return name.subdomain(to) ? replaceSuffix(name, to, from) : null;
      }
    };
  }

  static NameMapping regex(Pattern pattern, String replacement) {
    return new NameMapping() {
      @Override
      public Name forward(Name name) {
        Matcher m = pattern.matcher(Matchers.text(name));
        if (!m.find()) {
          return null;
        }
        try {
          return Name.fromString(m.replaceFirst(replacement), Name.root);
        } catch (TextParseException e) {
          return null; // the replacement made no valid name: leave this query alone
        }
      }

      @Override
      public Name back(Name name, Name original, Name rewritten) {
        return name.equals(rewritten) ? original : null;
      }
    };
  }

  private static Name replaceSuffix(Name name, Name oldSuffix, Name newSuffix) {
    try {
      return Name.concatenate(name.relativize(oldSuffix), newSuffix);
    } catch (NameTooLongException e) {
      return null;
    }
  }
}
