package io.tabby.policy.model;

import io.tabby.policy.selector.LabelSelector;
import java.util.List;
import java.util.Optional;

/**
 * One {@code NetworkPolicyPeer}: either pods chosen by selectors or an {@code ipBlock}, never
 * both (validation.go {@code ValidateNetworkPolicyPeer}).
 */
public sealed interface Peer {

    /**
     * Pods matching {@code podSelector} in the namespaces matching {@code namespaceSelector} (the
     * two in one peer are ANDed). An absent namespace selector means the policy's own namespace;
     * an absent pod selector means every pod.
     */
    record Pods(Optional<LabelSelector> namespaceSelector, LabelSelector podSelector) implements Peer {
        public Pods {
            if (podSelector == null) {
                podSelector = LabelSelector.EVERYTHING;
            }
        }

        /** Text that identifies what this peer selects when it sits in {@code policyNamespace}. */
        public String canonical(String policyNamespace) {
            String ns = namespaceSelector.map(s -> "nsSel{" + s.canonical() + "}").orElse("ns=" + policyNamespace);
            return ns + " pods{" + podSelector.canonical() + "}";
        }
    }

    /** {@code cidr} minus every {@code except}; each except must lie strictly inside the cidr. */
    record IpBlock(Cidr cidr, List<Cidr> except) implements Peer {
        public IpBlock {
            except = List.copyOf(except);
            for (Cidr e : except) {
                if (!cidr.contains(e) || e.prefix() <= cidr.prefix()) {
                    throw new IllegalArgumentException("except " + e + " is not strictly inside cidr " + cidr);
                }
            }
        }

        public boolean contains(Cidr.Address a) {
            return cidr.contains(a) && except.stream().noneMatch(e -> e.contains(a));
        }

        /** The addresses this block stands for, as disjoint prefixes. */
        public List<Cidr> members() {
            return cidr.minus(except);
        }

        public String canonical() {
            return "ipBlock " + cidr + (except.isEmpty() ? "" : " except " + except);
        }
    }
}
