package io.tabby.bgp.session;

import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.WireContext;
import java.net.Inet4Address;
import java.util.Set;

/**
 * What two OPENs settled (RFC 4271 4.2, RFC 5492 and each capability's RFC): the peer's real AS
 * and identifier, hold and keepalive times, and the capabilities both sides have.
 *
 * @param addPathRx families whose received NLRI carry path identifiers
 * @param addPathTx families whose sent NLRI must carry path identifiers
 * @param extendedNextHop IPv4 families that may be sent with IPv6 next hops (RFC 8950)
 */
public record Negotiated(
        long peerAs,
        Inet4Address peerId,
        boolean internal,
        int holdTime,
        int keepaliveTime,
        boolean fourOctetAs,
        Set<Family> families,
        Set<Family> addPathRx,
        Set<Family> addPathTx,
        boolean extendedMessage,
        boolean routeRefresh,
        boolean enhancedRouteRefresh,
        Set<Family> extendedNextHop) {

    public Negotiated {
        families = Set.copyOf(families);
        addPathRx = Set.copyOf(addPathRx);
        addPathTx = Set.copyOf(addPathTx);
        extendedNextHop = Set.copyOf(extendedNextHop);
    }

    /** Decoding context for what the peer sends. */
    public WireContext rx() {
        return new WireContext(fourOctetAs, addPathRx, extendedMessage);
    }

    /** Encoding context for what we send. */
    public WireContext tx() {
        return new WireContext(fourOctetAs, addPathTx, extendedMessage);
    }
}
