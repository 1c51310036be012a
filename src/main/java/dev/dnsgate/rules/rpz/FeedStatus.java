package dev.dnsgate.rules.rpz;

import java.time.Instant;

/**
 * What explain, health and metrics show of one policy zone's source.
 *
 * @param source the file, URL or primary (with "TSIG key NAME" when signed)
 * @param serial the SOA serial that serves, or -1 when no copy has loaded yet
 * @param lastUpdate when the serving copy was read or transferred, or null
 * @param nextRefresh when the source is checked next, or null when only edits reload it
 * @param records policy records that serve
 * @param skipped records that are not policies a forwarder can apply (NSDNAME, NSIP)
 * @param lastError the last failure (a transfer, a download), or empty
 */
public record FeedStatus(String zone, String source, long serial, Instant lastUpdate, Instant nextRefresh,
    int records, int skipped, long bytes, String lastError) {}
