package io.tabby.bgp.session;

import io.tabby.bgp.wire.Capability;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.WireContext;
import java.net.Inet4Address;
import java.util.Optional;
import java.util.Set;

/**
 * What two OPENs settled (RFC 4271 4.2, RFC 5492 and each capability's RFC): the peer's real AS
 * and identifier, hold and keepalive times, and the capabilities both sides have.
 *
 * @param addPathRx families whose received NLRI carry path identifiers
 * @param addPathTx families whose sent NLRI must carry path identifiers
 * @param extendedNextHop IPv4 families that may be sent with IPv6 next hops (RFC 8950)
 * @param gracefulRestart the peer's RFC 4724 capability when both sides advertised one, cut down to
 *     the negotiated families: its restart time, Restart State bit and, per family, whether its
 *     forwarding state was preserved. Empty when either side did not advertise graceful restart.
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
        Set<Family> extendedNextHop,
        Optional<Capability.GracefulRestart> gracefulRestart) {

    public Negotiated {
        families = Set.copyOf(families);
        gracefulRestart = gracefulRestart == null ? Optional.empty() : gracefulRestart;
        addPathRx = Set.copyOf(addPathRx);
        addPathTx = Set.copyOf(addPathTx);
        extendedNextHop = Set.copyOf(extendedNextHop);
    }

    /** Without graceful restart. */
    public Negotiated(long peerAs, Inet4Address peerId, boolean internal, int holdTime, int keepaliveTime,
            boolean fourOctetAs, Set<Family> families, Set<Family> addPathRx, Set<Family> addPathTx,
            boolean extendedMessage, boolean routeRefresh, boolean enhancedRouteRefresh, Set<Family> extendedNextHop) {
        this(peerAs, peerId, internal, holdTime, keepaliveTime, fourOctetAs, families, addPathRx, addPathTx,
                extendedMessage, routeRefresh, enhancedRouteRefresh, extendedNextHop, Optional.empty());
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
