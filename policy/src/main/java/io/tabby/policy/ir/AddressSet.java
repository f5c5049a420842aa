package io.tabby.policy.ir;

import java.util.List;

/**
 * A named set of IPv4 addresses or prefixes: the pods a selector peer matches (cluster-wide), or
 * an ipBlock minus its excepts, pre-computed as disjoint prefixes so no rule needs to express
 * "except". Members are sorted and never overlap; {@code interval} when any is a prefix.
 */
public record AddressSet(String name, boolean interval, List<String> members, String comment) {
    public AddressSet {
        members = List.copyOf(members);
    }
}
