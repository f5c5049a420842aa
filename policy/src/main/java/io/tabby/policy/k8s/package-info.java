/**
 * The edge between Kubernetes objects and the policy model.
 *
 * <p>In: Jackson trees of Namespaces, Pods, Deployments and NetworkPolicies, from YAML files
 * ({@link io.tabby.policy.k8s.ManifestLoader}) or from Fabric8 objects converted with
 * {@code ObjectMapper.valueToTree} (the agent). Out: model records, or an
 * {@link io.tabby.policy.k8s.InvalidObjectException} naming the object and the field (invalid
 * CIDR, except outside its block, unknown protocol, endPort below port or with a named port,
 * bad selector operator, unknown field). Mirrors k8s {@code pkg/apis/networking/validation} and
 * {@code pkg/apis/networking/v1/defaults.go}. The only package in this module that uses Jackson.
 */
package io.tabby.policy.k8s;
