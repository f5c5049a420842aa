/**
 * Benchmarks (not tests; run by bench/policy/run.sh): a synthetic 5,000-pod, 1,000-policy
 * cluster, compile and render timings, nft/iptables load times in a test namespace, the
 * one-policy incremental transaction, and iperf3 through the rules.
 */
package io.tabby.policy.bench;
