/**
 * The route install/delete benchmark harness (not a test): {@code bench/netlink-routes.sh} runs
 * {@link io.tabby.netlink.bench.RouteBench}, which times our batched RTM_NEWROUTE/RTM_DELROUTE
 * against {@code ip -batch} of the same routes, each in a fresh lab namespace, in one run.
 * In: route counts and repetitions. Out: one line per measurement and a summary table (the
 * figures in {@code docs/benchmarks.md}).
 */
package io.tabby.netlink.bench;
