package io.tabby.policy.ir;

import java.util.List;

/**
 * A named set of addresses or prefixes of one family: the pods a selector peer matches
 * (cluster-wide, IPv4), or an ipBlock minus its excepts (IPv4 or IPv6, as the block), pre-computed
 * as disjoint prefixes so no rule needs to express "except". Members are sorted and never
 * overlap; {@code interval} when any is a prefix.
 */
public record AddressSet(String name, boolean v6, boolean interval, List<String> members, String comment) {
    public AddressSet {
        members = List.copyOf(members);
    }
}
