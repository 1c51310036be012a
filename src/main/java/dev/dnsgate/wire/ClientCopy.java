package dev.dnsgate.wire;

/**
 * A copy of an answer already shaped for one client, made right for another client asking the same
 * question with the same EDNS view: only the ID, the RD bit and the case of the question name differ
 * (the question name sits at offset 12 and has the same length, names being equal).
 */
public final class ClientCopy {

  private ClientCopy() {}

  public static byte[] of(byte[] template, QueryContext ctx) {
    byte[] out = template.clone();
    WireBytes.put16(out, 0, ctx.id());
    out[2] = (byte) ((out[2] & ~0x01) | (ctx.packet()[2] & 0x01));
    System.arraycopy(ctx.packet(), 12, out, 12, ctx.question().getName().length());
    return out;
  }
}
