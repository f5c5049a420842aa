package io.tabby.policy.ir;

import java.util.List;

/**
 * A regular (non-base) chain. Names are the IR's: {@code pi.<ns>.<policy>} and
 * {@code po.<ns>.<policy>} for a policy's ingress and egress rules, {@code tw.<iface>} and
 * {@code fw.<iface>} for traffic to and from one local endpoint. Renderers may map them (the
 * iptables renderer hashes them to fit 28 characters).
 */
public record Chain(String name, List<Rule> rules, String comment) {
    public Chain {
        rules = List.copyOf(rules);
    }
}
