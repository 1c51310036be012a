package dev.dnsgate.rules.rewrite;

import java.util.List;
import java.util.function.UnaryOperator;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Turns an answer for the rewritten name into one for the name the client asked: owner names, and
 * CNAME targets inside the rewritten zone, are mapped back. The answer is changed in place (the
 * caller owns it).
 */
final class AnswerReverter implements UnaryOperator<Message> {

  private final NameMapping mapping;
  private final Name original;
  private final Name rewritten;

  AnswerReverter(NameMapping mapping, Name original, Name rewritten) {
    this.mapping = mapping;
    this.original = original;
    this.rewritten = rewritten;
  }

  @Override
  public Message apply(Message answer) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      List<Record> records = List.copyOf(answer.getSection(section));
      answer.removeAllRecords(section);
      records.forEach(r -> answer.addRecord(revert(r), section)); // same order: CNAME chains stay readable
    }
    return answer;
  }

  private Record revert(Record record) {
    Record result = record;
    Name owner = mapping.back(record.getName(), original, rewritten);
    if (owner != null) {
      result = result.withName(owner);
    }
    if (result instanceof CNAMERecord cname) {
      Name target = mapping.back(cname.getTarget(), original, rewritten);
      if (target != null) {
        result = new CNAMERecord(result.getName(), result.getDClass(), result.getTTL(), target);
      }
    }
    return result;
  }
}
