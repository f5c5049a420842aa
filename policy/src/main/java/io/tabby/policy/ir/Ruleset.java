package io.tabby.policy.ir;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything one node needs, backend-neutral and deterministic (every list sorted by name), so
 * two rulesets can be diffed and a renderer's output compared byte for byte.
 *
 * <p>Dispatch: {@code fromEndpoint} maps a local endpoint's host-side interface to its
 * {@code fw.} chain (the pod's egress), {@code toEndpoint} to its {@code tw.} chain (ingress).
 * Renderers turn these into one verdict-map lookup each (nft) or a dispatch chain (iptables), so
 * per-packet cost does not grow with the number of endpoints. {@code errors} lists policies that
 * could not be compiled; each of them was replaced by a chain that allows nothing, so the pods
 * it selects stay isolated and every other policy is enforced in full.
 */
public record Ruleset(List<AddressSet> addressSets, List<PortSet> portSets, List<Chain> chains,
                      SortedMap<String, String> fromEndpoint, SortedMap<String, String> toEndpoint,
                      List<String> errors) {

    public Ruleset {
        addressSets = List.copyOf(addressSets);
        portSets = List.copyOf(portSets);
        chains = List.copyOf(chains);
        fromEndpoint = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(fromEndpoint));
        toEndpoint = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(toEndpoint));
        errors = List.copyOf(errors);
    }

    public Optional<Chain> chain(String name) {
        return chains.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public int ruleCount() {
        return chains.stream().mapToInt(c -> c.rules().size()).sum();
    }
}
