package io.tabby.policy.model;

import java.util.List;

/**
 * One ingress or egress rule: it allows a connection iff one of its ports matches AND one of its
 * peers matches. An empty list means "no restriction" on that axis ({@code from: []} and an
 * absent {@code from} are the same). Ports bind only to this rule's peers.
 */
public record Rule(List<PortMatch> ports, List<Peer> peers) {
    public static final Rule ALLOW_ALL = new Rule(List.of(), List.of());

    public Rule {
        ports = List.copyOf(ports);
        peers = List.copyOf(peers);
    }
}
