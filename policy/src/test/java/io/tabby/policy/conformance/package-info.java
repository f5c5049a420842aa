/**
 * The upstream NetworkPolicy e2e model and scenarios (kubernetes/kubernetes
 * test/e2e/network/netpol), re-written with hand-stated truth tables, shared by the explainer's
 * conformance test and the dataplane tests.
 */
package io.tabby.policy.conformance;
