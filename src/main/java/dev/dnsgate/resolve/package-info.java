/**
 * The query path assembled in one class, {@link dev.dnsgate.resolve.QueryPipeline}; where every answer comes
 * from ({@link dev.dnsgate.resolve.AnswerSource}); and the {@link dev.dnsgate.resolve.QueryObserver} seam
 * through which metrics, the query log and anything else that watches traffic are told of each answer.
 */
package dev.dnsgate.resolve;
