/**
 * The policy model: immutable, validated records for namespaces, endpoints (pods on the pod
 * network) and {@code networking.k8s.io/v1} NetworkPolicies with their rules, peers and ports.
 *
 * <p>In: values built by hand or by {@code io.tabby.policy.k8s} from Kubernetes objects. Out:
 * records that can no longer be invalid: a record's constructor rejects a bad CIDR, an except
 * outside its block, a port out of range, an {@code endPort} below its port, a bad label or
 * name, with a message naming the value. {@link io.tabby.policy.model.NetworkPolicy#defaulted}
 * applies the API server's {@code policyTypes} defaulting (k8s {@code pkg/apis/networking/v1/defaults.go});
 * the semantics themselves are in {@code io.tabby.policy.eval}. Spec:
 * {@code staging/src/k8s.io/api/networking/v1/types.go}; see {@code shared/reference/netpol-semantics.md}.
 */
package io.tabby.policy.model;
