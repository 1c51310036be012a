package dev.dnsgate.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base32;

/**
 * A zone signed inside a test with dnsjava's DNSSEC API: one ECDSA P-256 key (KSK and ZSK in one), an
 * NSEC or NSEC3 chain over every name, RRSIGs over every authoritative RRset. Tests then break it on
 * purpose: change signed data, sign a set with an expired window, hide the DNSKEY set.
 */
public final class SignedZone {

  static final long TTL = 300;

  private final Name apex;
  private final boolean nsec3;
  private final boolean signed;
  private final KeyPair keys;
  private final DNSKEYRecord dnskey;
  /** name -> type -> RRset (with its RRSIGs once signed); names in canonical order. */
  private final Map<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
  private final List<RRset> denial = new ArrayList<>();
  private boolean hideDnskey;

  private SignedZone(String apex, boolean nsec3, boolean signed) {
    this.apex = Name.fromConstantString(apex);
    this.nsec3 = nsec3;
    this.signed = signed;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      // the same key for the same apex every time: a test profile (which writes the anchor file) and
      // the test (which serves the zone) may each build the zones, in class loaders of their own
      SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
      seeded.setSeed(apex.getBytes(StandardCharsets.US_ASCII));
      generator.initialize(new ECGenParameterSpec("secp256r1"), seeded);
      this.keys = generator.generateKeyPair();
      this.dnskey = new DNSKEYRecord(this.apex, DClass.IN, TTL, 257, DNSKEYRecord.Protocol.DNSSEC,
          DNSSEC.Algorithm.ECDSAP256SHA256, keys.getPublic());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    add(new SOARecord(this.apex, DClass.IN, TTL, Name.fromConstantString("ns." + apex),
        Name.fromConstantString("admin." + apex), 1, 3600, 600, 86400, 60));
    add(new NSRecord(this.apex, DClass.IN, TTL, Name.fromConstantString("ns." + apex)));
    if (signed) {
      add(dnskey);
    }
  }

  public static SignedZone nsec(String apex) {
    return new SignedZone(apex, false, true);
  }

  public static SignedZone nsec3(String apex) {
    return new SignedZone(apex, true, true);
  }

  public static SignedZone unsigned(String apex) {
    return new SignedZone(apex, false, false);
  }

  public Name apex() {
    return apex;
  }

  public boolean signed() {
    return signed;
  }

  public DNSKEYRecord dnskey() {
    return dnskey;
  }

  public DSRecord ds() {
    return new DSRecord(apex, DClass.IN, TTL, DNSSEC.Digest.SHA256, dnskey);
  }

  /** Adds a record in zone-file syntax, owner relative to the apex: "www 300 IN A 192.0.2.10". */
  public SignedZone add(String text) {
    try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), apex, TTL)) {
      return add(master.nextRecord());
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  public SignedZone add(Record record) {
    nodes.computeIfAbsent(record.getName(), n -> new TreeMap<>())
        .computeIfAbsent(record.getType(), t -> new RRset()).addRR(record);
    return this;
  }

  /** Delegates {@code child} (relative name): NS, and a DS when the child is signed. */
  public SignedZone delegate(SignedZone child) {
    add(new NSRecord(child.apex, DClass.IN, TTL, Name.fromConstantString("ns." + child.apex)));
    if (child.signed) {
      add(child.ds());
    }
    return this;
  }

  /** Delegates to a signed child whose DS names a key the child does not have. */
  public SignedZone hideDnskey() {
    this.hideDnskey = true;
    return this;
  }

  /** Signs every authoritative RRset and builds the denial chain, valid from an hour ago for a day. */
  public SignedZone sign() {
    if (!signed) {
      return this;
    }
    chain();
    Instant now = Instant.now();
    for (Map<Integer, RRset> node : nodes.values()) {
      for (RRset set : node.values()) {
        boolean delegationNs = set.getType() == Type.NS && !set.getName().equals(apex);
        if (!delegationNs) {
          sign(set, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        }
      }
    }
    for (RRset set : denial) {
      sign(set, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }
    return this;
  }

  /** Replaces the RRSIGs of one RRset with ones valid only in [inception, expiration]. */
  public SignedZone resign(String relative, int type, Instant inception, Instant expiration) {
    RRset set = rrset(relative, type);
    for (RRSIGRecord sig : new ArrayList<>(set.sigs())) {
      set.deleteRR(sig);
    }
    sign(set, inception, expiration);
    return this;
  }

  /** Replaces the data of a signed RRset, keeping its (now wrong) signatures: a forgery. */
  public SignedZone tamper(String relative, int type, String newData) {
    RRset set = rrset(relative, type);
    Record old = set.first();
    Record forged;
    try {
      forged = Record.fromString(old.getName(), type, DClass.IN, old.getTTL(), newData, apex);
    } catch (Exception e) {
      throw new IllegalArgumentException(newData, e);
    }
    set.deleteRR(old);
    set.addRR(forged);
    return this;
  }

  /** Adds signatures that claim to come from this zone's key and verify against nothing (KeyTrap). */
  public SignedZone addBogusSignatures(String relative, int type, int count) {
    RRset set = rrset(relative, type);
    RRSIGRecord model = set.sigs().get(0);
    set.deleteRR(model); // the real signature goes last: a validator must wade through the others first
    for (int i = 0; i < count; i++) {
      byte[] signature = model.getSignature().clone();
      signature[i % signature.length] ^= (byte) (i + 1);
      signature[(i + 7) % signature.length] ^= 0x5a;
      set.addRR(new RRSIGRecord(model.getName(), model.getDClass(), model.getTTL(), model.getTypeCovered(),
          model.getAlgorithm(), model.getOrigTTL(), model.getExpire(), model.getTimeSigned(), model.getFootprint(),
          model.getSigner(), signature));
    }
    set.addRR(model);
    return this;
  }

  /**
   * Adds DNSKEYs whose key tag equals the real key's (bytes shifted between even offsets keep the
   * checksum), so that a validator must try each for every signature with that tag: CVE-2023-50387.
   */
  public SignedZone addCollidingKeys(int count) {
    byte[] key = dnskey.getKey();
    for (int i = 0; i < count; i++) {
      byte[] fake = key.clone();
      int up = 2 * (i % (key.length / 2 - 1));
      int down = up + 2;
      int delta = 1 + i / (key.length / 2 - 1);
      if ((fake[up] & 0xff) + delta > 255 || (fake[down] & 0xff) - delta < 0) {
        up = down;
        down = 2 * (i % (key.length / 2 - 1));
      }
      fake[up] = (byte) ((fake[up] & 0xff) + delta);
      fake[down] = (byte) ((fake[down] & 0xff) - delta);
      DNSKEYRecord colliding = new DNSKEYRecord(apex, DClass.IN, TTL, dnskey.getFlags(), dnskey.getProtocol(),
          dnskey.getAlgorithm(), fake);
      if (colliding.getFootprint() == dnskey.getFootprint() && !Arrays.equals(fake, key)) {
        add(colliding);
      }
    }
    return this;
  }

  public RRset rrset(String relative, int type) {
    Name name = relative.equals("@") ? apex : Name.fromConstantString(relative + "." + apex);
    Map<Integer, RRset> node = nodes.get(name);
    RRset set = node == null ? null : node.get(type);
    if (set == null) {
      throw new IllegalArgumentException("no " + Type.string(type) + " at " + name);
    }
    return set;
  }

  private void sign(RRset set, Instant inception, Instant expiration) {
    try {
      set.addRR(DNSSEC.sign(set, dnskey, keys.getPrivate(), inception, expiration));
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }

  /** NSEC: each name to the next in canonical order; NSEC3: each hashed name to the next hash. */
  private void chain() {
    List<Name> names = new ArrayList<>(nodes.keySet());
    if (!nsec3) {
      for (int i = 0; i < names.size(); i++) {
        Name name = names.get(i);
        denial.add(new RRset(new NSECRecord(name, DClass.IN, 60, names.get((i + 1) % names.size()),
            typesAt(name, Type.NSEC))));
      }
      return;
    }
    add(new NSEC3PARAMRecord(apex, DClass.IN, 0, NSEC3Record.SHA1_DIGEST_ID, 0, 0, new byte[0]));
    NSEC3PARAMRecord param = (NSEC3PARAMRecord) nodes.get(apex).get(Type.NSEC3PARAM).first();
    TreeMap<String, Name> byHash = new TreeMap<>();
    base32 b32 = new base32(base32.Alphabet.BASE32HEX, false, false);
    try {
      for (Name name : names) {
        byHash.put(b32.toString(param.hashName(name)), name);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<String> hashes = new ArrayList<>(new TreeSet<>(byHash.keySet()));
    for (int i = 0; i < hashes.size(); i++) {
      String hash = hashes.get(i);
      byte[] next = b32.fromString(hashes.get((i + 1) % hashes.size()));
      Name owner = Name.fromConstantString(hash + "." + apex);
      denial.add(new RRset(new NSEC3Record(owner, DClass.IN, 60, NSEC3Record.SHA1_DIGEST_ID, 0, 0, new byte[0],
          next, typesAt(byHash.get(hash), -1))));
    }
  }

  private int[] typesAt(Name name, int plus) {
    TreeSet<Integer> types = new TreeSet<>(nodes.get(name).keySet());
    boolean delegation = types.contains(Type.NS) && !name.equals(apex);
    if (!delegation || types.contains(Type.DS)) {
      types.add(Type.RRSIG);
    }
    if (plus > 0) {
      types.add(plus);
      types.add(Type.RRSIG);
    }
    return types.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The RRset at {@code name} of {@code type}, or null; the DNSKEY set is missing when hidden. */
  RRset find(Name name, int type) {
    if (hideDnskey && type == Type.DNSKEY) {
      return null;
    }
    Map<Integer, RRset> node = nodes.get(name);
    return node == null ? null : node.get(type);
  }

  boolean exists(Name name) {
    return nodes.containsKey(name);
  }

  RRset soa() {
    return nodes.get(apex).get(Type.SOA);
  }

  List<RRset> denial() {
    return denial;
  }
}
