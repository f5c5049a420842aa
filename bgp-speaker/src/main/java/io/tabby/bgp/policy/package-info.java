/**
 * What may come in and go out, and how it is changed on the way: user policy and the protocol's
 * own rules, all pure functions over {@link io.tabby.bgp.rib.Path}s.
 *
 * <pre>
 *  received ─> {@link io.tabby.bgp.policy.ImportRules} ─> import {@link io.tabby.bgp.policy.Policy} ─> Loc-RIB
 *  best     ─> {@link io.tabby.bgp.policy.ExportRules} (eligibility, strip) ─> export Policy ─> ExportRules (rewrite) ─> Adj-RIB-Out
 * </pre>
 *
 * <p>In: a prefix, a path, the neighbour and who we are ({@link io.tabby.bgp.policy.Speaker}).
 * Out: the path as changed, or nothing (rejected / not advertised), or, for
 * {@link io.tabby.bgp.policy.MaxPrefix}, a decision value the session layer acts on.
 *
 * <p>Implements RFC 4271 sections 5.1 (attribute handling on iBGP vs eBGP), 9.1.2 (AS loop),
 * 9.2 (no iBGP re-advertisement); RFC 4456 sections 6-8 (reflection rules, ORIGINATOR_ID,
 * CLUSTER_LIST and their loop checks); RFC 8212 (eBGP default deny, {@link
 * io.tabby.bgp.policy.PeerPolicies}); RFC 4486 section 4 (Cease 6/1 data); RFC 1997 and 8092
 * (community matches and actions). The policy model follows FRR route-maps and BIRD filters
 * (terms in order, match conditions, set actions, accept/reject/next).
 */
package io.tabby.bgp.policy;
