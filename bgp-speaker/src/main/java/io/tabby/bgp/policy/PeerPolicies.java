package io.tabby.bgp.policy;

import io.tabby.bgp.rib.Peer;
import java.util.Optional;

/**
 * The import and export policy of one neighbour, with the RFC 8212 default: an eBGP session
 * without an explicit policy accepts nothing and advertises nothing (section 2), while iBGP
 * sessions default to accepting everything, as in BIRD and FRR's {@code ebgp-requires-policy}.
 * {@link #allowAll()} is the one-line opt-out for labs.
 */
public record PeerPolicies(Policy importPolicy, Policy exportPolicy) {
    public static PeerPolicies allowAll() {
        return new PeerPolicies(Policy.ACCEPT_ALL, Policy.ACCEPT_ALL);
    }

    /** The configured policies, with the RFC 8212 default filling in for eBGP and accept-all for iBGP. */
    public static PeerPolicies forPeer(Peer peer, Optional<Policy> importPolicy, Optional<Policy> exportPolicy) {
        Policy dflt = peer.ebgp() ? Policy.RFC8212_DENY : Policy.ACCEPT_ALL;
        return new PeerPolicies(importPolicy.orElse(dflt), exportPolicy.orElse(dflt));
    }
}
