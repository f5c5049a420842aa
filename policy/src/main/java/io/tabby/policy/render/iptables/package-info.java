/**
 * iptables rendering: {@code ipset restore} input for the IR's address and named-port sets
 * ({@code hash:net}, {@code hash:ip,port}) and {@code iptables-restore --noflush} input for the
 * filter table, with chains and sets named {@code tabby-...} and every rule commented
 * {@code tabby:<hash>} so it is recognisably ours.
 *
 * <p>In: {@link io.tabby.policy.ir.Ruleset} (and the previous one, to delete what went away).
 * Out: text; no I/O here. Shape after Felix's iptables mode (calico-behaviours.md 3.3-3.5):
 * dispatch chains ending in "unknown interface" DROP, per-endpoint chains, per-policy chains
 * that set an accept mark and return.
 */
package io.tabby.policy.render.iptables;
