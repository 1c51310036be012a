/**
 * The query path assembled in one class, {@link dev.dnsgate.resolve.QueryPipeline}, and the provenance every answer carries.
 */
package dev.dnsgate.resolve;
