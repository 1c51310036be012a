package dev.dnsgate.rules.rewrite;

import org.xbill.DNS.Name;

/**
 * How a rewrite maps names forward (query) and back (answer). Mapping back covers the rewritten name
 * and, for suffix rewrites, every name under the new suffix, so CNAME chains inside the rewritten
 * zone read as names of the original zone.
 */
interface NameMapping {

  /** The rewritten name, or null if this mapping does not apply to {@code name}. */
  Name forward(Name name);

  /** The name the client should see for {@code name} in an answer, or null to leave it alone. */
  Name back(Name name, Name original, Name rewritten);
}
