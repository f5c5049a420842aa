/**
 * The policy compiler: a pure function from a cluster snapshot and a node name to the
 * {@link io.tabby.policy.ir.Ruleset} that node must enforce for its local endpoints.
 *
 * <p>In: {@link io.tabby.policy.model.Cluster} (namespaces, endpoints, policies) and the node.
 * Out: IR chains, sets and dispatch, plus per-policy errors. Semantics are those of
 * {@code io.tabby.policy.eval} (netpol-semantics.md section 1); the dataplane tests hold the two
 * to the same matrices. Layout after Felix's {@code rules/policy.go} and {@code endpoints.go}
 * (calico-behaviours.md 3.3).
 */
package io.tabby.policy.compile;
