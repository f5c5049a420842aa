/**
 * Dataplane conformance: the e2e model built with the test kit (two nodes, nine Calico-style
 * pods, TCP/UDP/raw-SCTP servers), rendered rules applied inside the node namespaces, and probed
 * matrices compared with the explainer's.
 */
package io.tabby.policy.dataplane;
