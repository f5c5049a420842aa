package io.tabby.bgp.routing;

import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.ExportRules.NextHopMode;
import io.tabby.bgp.policy.MaxPrefix;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.rib.AdjRibIn;
import io.tabby.bgp.rib.Peer;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The routing view of one configured neighbour: who it is, our address on the session (the next
 * hop we advertise for ourselves), next-hop handling, policies (RFC 8212 defaults already
 * applied), an optional max-prefix limit, how many times our own AS may appear in received paths
 * (allowas-in), and whether its Adj-RIB-In is retained.
 */
public record Neighbour(Peer peer, InetAddress localAddress, NextHopMode nextHop, PeerPolicies policies,
                        Optional<MaxPrefix> maxPrefix, int allowAsIn, AdjRibIn.Retention retention) {
    public Neighbour {
        if (allowAsIn < 0 || allowAsIn > 10) {
            throw new IllegalArgumentException("allowas-in must be 0..10, was " + allowAsIn + " for " + peer);
        }
    }

    /** A neighbour with defaults: AUTO next hop, RFC 8212 policies, no limit, no Adj-RIB-In retention. */
    public static Neighbour of(Peer peer, InetAddress localAddress, PeerPolicies policies) {
        return new Neighbour(peer, localAddress, NextHopMode.AUTO, policies, Optional.empty(), 0, AdjRibIn.Retention.NONE);
    }

    public Neighbour withNextHop(NextHopMode m) {
        return new Neighbour(peer, localAddress, m, policies, maxPrefix, allowAsIn, retention);
    }

    public Neighbour withMaxPrefix(MaxPrefix m) {
        return new Neighbour(peer, localAddress, nextHop, policies, Optional.of(m), allowAsIn, retention);
    }

    public Neighbour withRetention(AdjRibIn.Retention r) {
        return new Neighbour(peer, localAddress, nextHop, policies, maxPrefix, allowAsIn, r);
    }

    ExportRules.Target target() {
        return new ExportRules.Target(peer, localAddress, nextHop);
    }
}
