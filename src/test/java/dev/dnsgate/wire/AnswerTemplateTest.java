package dev.dnsgate.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dnsgate.testing.Queries;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** One answer shaped once, then copied for each client with its own ID, RD bit, question case and TTLs. */
class AnswerTemplateTest {

  static final Name NAME = Name.fromConstantString("www.example.test.");
  static final ResponseShaper SHAPER = new ResponseShaper(Queries.PAYLOAD);

  static Message answer(int records) throws Exception {
    Message answer = new Message(0);
    answer.getHeader().setFlag(Flags.QR);
    answer.addRecord(Record.newRecord(NAME, Type.A, DClass.IN), Section.QUESTION);
    for (int i = 0; i < records; i++) {
      answer.addRecord(new ARecord(NAME, DClass.IN, 300, InetAddress.getByName("192.0.2." + (i + 1))), Section.ANSWER);
    }
    return answer;
  }

  /** {@code message} with eight 100-byte TXT records added to {@code section}: over 512 bytes. */
  static Message withEightTxt(Message message, int section) {
    for (int i = 0; i < 8; i++) {
      message.addRecord(new TXTRecord(NAME, DClass.IN, 300, "x".repeat(100) + i), section);
    }
    return message;
  }

  static QueryContext client(String name, int id, boolean rd) {
    Message query = Message.newQuery(Record.newRecord(Name.fromConstantString(name), Type.A, DClass.IN));
    query.getHeader().setID(id);
    if (!rd) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    return Queries.context(query);
  }

  @Test
  void copyCarriesEachClientsIdRdBitAndQuestionCase() throws Exception {
    QueryContext first = client("www.example.test.", 0x1111, true);
    Message message = answer(2);
    AnswerTemplate template = AnswerTemplate.ifComplete(SHAPER.shape(message, first, null), message);
    assertNotNull(template);

    byte[] copy = template.copyFor(client("WwW.ExAmPlE.tEsT.", 0x2222, false));

    Message parsed = new Message(copy);
    assertEquals(0x2222, parsed.getHeader().getID());
    assertFalse(parsed.getHeader().getFlag(Flags.RD));
    assertEquals("WwW.ExAmPlE.tEsT.", parsed.getQuestion().getName().toString());
    assertEquals(2, parsed.getSection(Section.ANSWER).size());
  }

  @Test
  void answerCutForOneClientsSizeLimitMakesNoTemplate() throws Exception {
    QueryContext classic = client("www.example.test.", 7, true); // no EDNS: 512 bytes
    Message big = withEightTxt(answer(0), Section.ANSWER);
    byte[] shaped = SHAPER.shape(big, classic, null);

    assertTrue(WireBytes.truncated(shaped), "cut and TC set for this client");
    assertNull(AnswerTemplate.ifComplete(shaped, big));
  }

  @Test
  void additionalRecordsLeftOutMakeNoTemplate() throws Exception {
    QueryContext classic = client("www.example.test.", 7, true);
    Message message = withEightTxt(answer(1), Section.ADDITIONAL);
    byte[] shaped = SHAPER.shape(message, classic, null);

    assertFalse(WireBytes.truncated(shaped), "additional records may be left out without TC");
    assertNull(AnswerTemplate.ifComplete(shaped, message));
  }

  @Test
  void templateThatDoesNotFitAClientSaysSo() throws Exception {
    Message query = Message.newQuery(Record.newRecord(NAME, Type.A, DClass.IN));
    query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    QueryContext large = Queries.context(query);
    Message big = withEightTxt(answer(0), Section.ANSWER);
    AnswerTemplate template = AnswerTemplate.ifComplete(SHAPER.shape(big, large, null), big);

    assertNotNull(template);
    assertTrue(template.fits(large));
    assertFalse(template.fits(client("www.example.test.", 8, true)), "a classic client takes 512 bytes");
    assertEquals(Rcode.NOERROR, new Message(template.copyFor(large)).getRcode());
    assertArrayEquals(template.copyFor(large), template.copyFor(large), "copies of one client are equal");
  }
}
