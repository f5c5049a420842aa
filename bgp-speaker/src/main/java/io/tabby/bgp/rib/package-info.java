/**
 * The routing information bases and the decision process: what the speaker knows and chooses.
 *
 * <pre>
 *  UPDATE from peer P ──> AdjRibIn(P) (pre-policy, optional) ──> import rules + policy ──> LocRib(family)
 *                                                                                            │ Change(old, new, reason, ECMP)
 *                    ┌───────────────────────────────────────────────────────────────────┤
 *                    v                                                                   v
 *     export rules + policy per peer Q ──> AdjRibOut(Q) ──> UpdatePacker ──> UPDATEs   FibExporter ──> kernel
 * </pre>
 *
 * <p>In: decoded paths ({@link io.tabby.bgp.rib.Path}: an interned {@link io.tabby.bgp.rib.AttrSet},
 * the source {@link io.tabby.bgp.rib.Peer}, ADD-PATH id, flags) keyed by prefix. Out: {@link
 * io.tabby.bgp.rib.Change}s of best path and ECMP set, UPDATE messages sized to the session.
 *
 * <p>Implements RFC 4271 sections 3.2 (Adj-RIB-In, Loc-RIB, Adj-RIB-Out: kept as the queue of what
 * is still to be sent, not as a table, see {@link io.tabby.bgp.rib.AdjRibOut}), 9.1 (decision process,
 * tie-breakers in 9.1.2.2), 9.2 (UPDATE packing); RFC 4456 section 9 (ORIGINATOR_ID and
 * CLUSTER_LIST in the decision); RFC 4724 section 2 (End-of-RIB); RFC 4760 (MP_REACH/MP_UNREACH
 * packing for IPv6 and RFC 8950 next hops).
 *
 * <p>Memory is a design goal (under 300 bytes per route at a million routes, see
 * docs/benchmarks.md): attribute sets are interned and shared, IPv4 prefixes are packed into
 * longs ({@link io.tabby.bgp.rib.PrefixMap}), a prefix with a single path stores just that path.
 * Everything here is single-threaded and owned by the RIB's event loop; nothing is static or
 * global, and the decision options are passed in.
 */
package io.tabby.bgp.rib;
