package io.tabby.policy.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything policy decisions depend on: namespaces (for their labels), endpoints and policies.
 * Immutable; lists are kept sorted by key so every output derived from a cluster is
 * deterministic. Endpoints in a namespace that was not declared get the namespace with only its
 * name label, as the API server would have created it.
 */
public record Cluster(Map<String, Namespace> namespaces, List<Endpoint> endpoints, List<NetworkPolicy> policies) {

    public Cluster {
        Map<String, Namespace> ns = new HashMap<>(namespaces);
        Set<String> keys = new HashSet<>();
        Set<String> ips = new HashSet<>();
        for (Endpoint e : endpoints) {
            ns.computeIfAbsent(e.namespace(), n -> new Namespace(n, Map.of()));
            if (!keys.add(e.key())) {
                throw new IllegalArgumentException("pod " + e.key() + " is defined twice");
            }
            if (!ips.add(e.ip())) {
                throw new IllegalArgumentException("pod " + e.key() + ": IP " + e.ip() + " is already used by another pod");
            }
        }
        Set<String> policyKeys = new HashSet<>();
        for (NetworkPolicy p : policies) {
            if (!policyKeys.add(p.key())) {
                throw new IllegalArgumentException("NetworkPolicy " + p.key() + " is defined twice");
            }
        }
        namespaces = Map.copyOf(ns);
        endpoints = endpoints.stream().sorted(Comparator.comparing(Endpoint::key)).toList();
        policies = policies.stream().sorted(Comparator.comparing(NetworkPolicy::key)).toList();
    }

    public static Cluster of(List<Namespace> namespaces, List<Endpoint> endpoints, List<NetworkPolicy> policies) {
        Map<String, Namespace> m = new HashMap<>();
        for (Namespace n : namespaces) {
            if (m.put(n.name(), n) != null) {
                throw new IllegalArgumentException("namespace " + n.name() + " is defined twice");
            }
        }
        return new Cluster(m, endpoints, policies);
    }

    public Namespace namespace(String name) {
        return namespaces.get(name);
    }

    /**
     * True when pods in {@code namespace} can be selected by {@code pods}, a peer written in a
     * policy of {@code policyNamespace}: without a namespace selector only the policy's own
     * namespace; with one, the namespaces whose labels it matches.
     */
    public boolean peerNamespaceMatches(Peer.Pods pods, String policyNamespace, String namespace) {
        if (pods.namespaceSelector().isEmpty()) {
            return namespace.equals(policyNamespace);
        }
        Namespace ns = namespaces.get(namespace);
        return pods.namespaceSelector().get().matches(ns == null ? Map.of(Namespace.NAME_LABEL, namespace) : ns.labels());
    }

    public Optional<Endpoint> endpoint(String key) {
        return endpoints.stream().filter(e -> e.key().equals(key)).findFirst();
    }

    /** A copy with {@code policy} added, or replacing the one with the same key. */
    public Cluster withPolicy(NetworkPolicy policy) {
        List<NetworkPolicy> ps = new ArrayList<>(policies.stream().filter(p -> !p.key().equals(policy.key())).toList());
        ps.add(policy);
        return new Cluster(namespaces, endpoints, ps);
    }

    /** A copy with these policies instead of the current ones. */
    public Cluster withPolicies(List<NetworkPolicy> ps) {
        return new Cluster(namespaces, endpoints, ps);
    }
}
