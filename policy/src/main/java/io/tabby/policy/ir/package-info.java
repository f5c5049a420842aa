/**
 * The backend-neutral rule IR: chains of rules (ANDed matches plus an action), named address
 * sets and named-port sets, and per-endpoint dispatch from interface name to chain.
 *
 * <p>In: built only by {@code io.tabby.policy.compile}. Out: read by the nftables and iptables
 * renderers and by the incremental diff. Shape follows Felix (calico-behaviours.md 3.3-3.6):
 * per-endpoint {@code tw}/{@code fw} chains jump to per-policy {@code pi}/{@code po} chains which
 * set an allow mark and return; an isolated endpoint chain drops what no policy marked.
 */
package io.tabby.policy.ir;
