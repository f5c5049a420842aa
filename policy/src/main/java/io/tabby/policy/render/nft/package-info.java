/**
 * nftables rendering: {@link io.tabby.policy.render.nft.NftRenderer} turns a ruleset into one
 * atomic {@code nft -f} transaction for a table that is ours, and
 * {@code NftDiff} turns two rulesets into an incremental transaction
 * that touches only what changed (set elements, verdict-map elements, flushed and refilled
 * chains).
 *
 * <p>In: {@link io.tabby.policy.ir.Ruleset}s. Out: text for {@code nft -f -}; no I/O here. Shape
 * after Felix's nftables mode (calico-behaviours.md 3.6): verdict maps from interface name to
 * per-endpoint chains, named sets for selectors and ipBlocks, concatenated
 * {@code ipv4_addr . inet_service} sets for named ports.
 */
package io.tabby.policy.render.nft;
