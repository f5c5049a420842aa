package io.tabby.policy.model;

import io.tabby.policy.selector.LabelSelector;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code networking.k8s.io/v1} NetworkPolicy with its {@code policyTypes} already defaulted.
 * Use {@link #defaulted} to build one from a spec as written: an empty {@code policyTypes}
 * becomes {@code [Ingress]}, plus {@code Egress} iff the egress list is non-empty
 * (defaults.go {@code SetDefaults_NetworkPolicy}). Rules of a direction that is not in
 * {@code policyTypes} are ignored, as the API says.
 */
public record NetworkPolicy(String namespace, String name, LabelSelector podSelector,
                            Set<PolicyType> policyTypes, List<Rule> ingress, List<Rule> egress) {

    public NetworkPolicy {
        Names.checkDnsLabel("namespace name", namespace);
        Names.checkDnsSubdomain("policy name", name);
        if (podSelector == null) {
            podSelector = LabelSelector.EVERYTHING;
        }
        policyTypes = policyTypes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(policyTypes));
        ingress = List.copyOf(ingress);
        egress = List.copyOf(egress);
    }

    /** Applies the API server's defaulting of {@code policyTypes}. */
    public static NetworkPolicy defaulted(String namespace, String name, LabelSelector podSelector,
                                          List<PolicyType> policyTypes, List<Rule> ingress, List<Rule> egress) {
        Set<PolicyType> types = EnumSet.noneOf(PolicyType.class);
        types.addAll(policyTypes);
        if (types.isEmpty()) {
            types.add(PolicyType.Ingress);
            if (!egress.isEmpty()) {
                types.add(PolicyType.Egress);
            }
        }
        return new NetworkPolicy(namespace, name, podSelector, types, ingress, egress);
    }

    public String key() {
        return namespace + "/" + name;
    }

    public boolean isolates(PolicyType direction) {
        return policyTypes.contains(direction);
    }

    /** The rules that count for {@code direction}: none when the policy does not isolate it. */
    public List<Rule> rules(PolicyType direction) {
        if (!isolates(direction)) {
            return List.of();
        }
        return direction == PolicyType.Ingress ? ingress : egress;
    }

    /** True when this policy applies to {@code e} (same namespace, selector matches). */
    public boolean selects(Endpoint e) {
        return e.namespace().equals(namespace) && podSelector.matches(e.labels());
    }
}
