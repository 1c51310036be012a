/**
 * DNSSEC validation of upstream answers, on dnsjava's {@code org.xbill.DNS.dnssec.ValidatingResolver}.
 *
 * <p>Plugged in at one seam: {@link dev.dnsgate.dnssec.DnssecValidation#wrap} wraps each upstream
 * group's {@link dev.dnsgate.upstream.Upstream} in a {@link dev.dnsgate.dnssec.ValidatingUpstream}
 * before the {@code Forwarder} sees it, so the pipeline, the cache and the listeners do not know
 * validation exists: they get an answer and its {@link dev.dnsgate.upstream.Validation}.
 *
 * <ul>
 *   <li>The validator's head resolver is {@link dev.dnsgate.dnssec.HeadResolver}: the group's own
 *       pipelined DoT/DoH connections, DO and CD set. TCP retry on truncation does not arise: DoT
 *       and DoH carry 64 KiB messages, so an upstream never sends TC=1 over them. DNSKEY and DS
 *       lookups go through the answer cache and a coalescer, so validating a name in a zone whose
 *       keys are warm costs no upstream traffic beyond the name's own query.
 *   <li>Results: secure answers carry AD (cleared for clients that set neither DO nor AD, by the
 *       response shaping); insecure answers pass without AD; bogus answers become SERVFAIL with the
 *       validator's Extended DNS Error (6, 7, 8, 9, 10 or 12) and an EXTRA-TEXT naming the zone;
 *       CD=1 queries get the unvalidated answer. dnsjava's private reason record (class 65280) is
 *       read for the reason and removed, never sent.
 *   <li>What the validator may cost is bounded ({@link dev.dnsgate.dnssec.LookupBudget}, dnsjava's
 *       signature and DS-match limits, {@link dev.dnsgate.dnssec.KeyTrapGuard}), and signature checks
 *       run on a pool of their own, never on an event loop; a signature that verified once is not
 *       verified again ({@link dev.dnsgate.dnssec.VerifiedSignatures}).
 *   <li>Answers from rules (local data, blocks, policy zones) are dnsgate's own and are not
 *       validated; a rewritten query is validated for the name and type actually asked upstream.
 * </ul>
 */
package dev.dnsgate.dnssec;
