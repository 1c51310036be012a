/**
 * {@code action: block}: NXDOMAIN, NODATA, sinkhole or REFUSED, always with EDE 15.
 */
package dev.dnsgate.rules.block;
