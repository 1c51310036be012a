/**
 * DNS wire format on the client side: decoding queries (FORMERR/NOTIMP/BADVERS or drop), shaping answers (ID, question case, EDNS, truncation), TCP framing.
 */
package dev.dnsgate.wire;
