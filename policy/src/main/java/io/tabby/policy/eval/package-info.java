/**
 * The NetworkPolicy semantics evaluated directly: the engine behind {@code tabby policy explain}
 * and {@code tabby policy matrix}, and the oracle the dataplane tests hold the compiled rules to.
 *
 * <p>In: a {@link io.tabby.policy.model.Cluster} snapshot and a connection (client, server,
 * protocol, port). Out: an {@link io.tabby.policy.eval.Explanation}, the verdict of the client's
 * egress and the server's ingress, each with the policies isolating the pod and the rules that
 * admit the connection ("isolated and nothing allows it" when there are none), or a
 * {@link io.tabby.policy.eval.Matrix} over every pair. Implements netpol-semantics.md section 1
 * (types.go, the website's "The two sorts of pod isolation"); deliberately independent of the
 * compiler so the two can check each other.
 */
package io.tabby.policy.eval;
