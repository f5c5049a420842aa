package io.tabby.bgp.policy;

import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.ClusterList;
import io.tabby.bgp.wire.PathAttribute.LocalPref;
import io.tabby.bgp.wire.PathAttribute.OriginatorId;
import io.tabby.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What we advertise to one neighbour for a best path, as a pure function: the iBGP/eBGP rules of
 * RFC 4271 and route reflection of RFC 4456, around the neighbour's export {@link Policy}.
 *
 * <pre>
 *  best path ─> may it go to this peer at all? ─> strip what must not leave ─> export policy ─> mandatory rewrites
 *               (split horizon, iBGP->iBGP only    (eBGP: LOCAL_PREF, MED,      (user actions)  (eBGP: prepend our AS,
 *                when reflecting, 4456 s.6)         ORIGINATOR_ID, CLUSTER_LIST)                  next hop self; reflect:
 *                                                                                                   ORIGINATOR_ID, CLUSTER_LIST)
 * </pre>
 *
 * <ul>
 *   <li>Never back to the peer it came from.
 *   <li>RFC 4271 9.2: a route learned over iBGP is not sent to iBGP peers, unless we reflect
 *       (RFC 4456 section 6): from a client to every iBGP peer (to other clients only if
 *       {@code clientToClient}), from a non-client to clients only.
 *   <li>Reflecting: ORIGINATOR_ID is set to the source's router id if absent, our cluster id is
 *       prepended to CLUSTER_LIST, and the next hop is left alone (RFC 4456 section 8, 10).
 *   <li>To eBGP: our AS prepended (5.1.2), next hop set to our address on the session unless
 *       the policy set one or the neighbour says keep (5.1.3; Calico's {@code next hop keep}),
 *       LOCAL_PREF not sent (5.1.5), MED learned from another AS not passed on (5.1.4) unless the
 *       policy set one, ORIGINATOR_ID and CLUSTER_LIST not sent (they are iBGP-only).
 *   <li>To iBGP: LOCAL_PREF always present (default 100); next hop kept, or ours with
 *       {@link NextHopMode#SELF} for routes we did not reflect; our own routes get our address.
 * </ul>
 */
public final class ExportRules {
    private ExportRules() {}

    public enum NextHopMode {
        /** eBGP: ours; iBGP: keep (RFC 4271 default). */
        AUTO,
        /** Always ours (except when reflecting): BIRD/Calico {@code next hop self} on the node mesh. */
        SELF,
        /** Never rewrite, also to eBGP (route servers; Calico {@code next hop keep} for eBGP). */
        KEEP
    }

    /** The neighbour we export to: who it is, our address on the session, and its next-hop mode. */
    public record Target(Peer peer, InetAddress localAddress, NextHopMode nextHop) {}

    /** The attributes to advertise {@code best} with to {@code to}, or empty to advertise nothing (withdraw). */
    public static Optional<AttrSet> export(Prefix prefix, Path best, Target to, Speaker me, Policy policy) {
        Peer from = best.source();
        Peer peer = to.peer();
        if (from.equals(peer)) {
            return Optional.empty();
        }
        boolean reflecting = false;
        if (from.ibgp() && peer.ibgp()) {
            boolean allowed = from.rrClient() ? (!peer.rrClient() || me.clientToClient()) : peer.rrClient();
            if (!allowed) {
                return Optional.empty();
            }
            reflecting = true;
        }
        AttrSet a = best.attrs();
        if (peer.ebgp()) {
            a = a.without(5).without(9).without(10);
            if (from.kind() != Peer.Kind.LOCAL) {
                a = a.without(4); // MED from another AS stays there (RFC 4271 5.1.4)
            }
        } else if (a.localPref() < 0) {
            a = a.with(new LocalPref(AttrSet.DEFAULT_LOCAL_PREF));
        }
        List<InetAddress> nhBefore = a.nextHops();
        Optional<Path> out = policy.apply(prefix, best.withAttrs(a), new PolicyContext(me.as(), to.localAddress()));
        if (out.isEmpty()) {
            return Optional.empty();
        }
        a = out.get().attrs();
        // A next hop a policy set, or one configured on a route we originate, is kept.
        boolean policySetNextHop = !a.nextHops().equals(nhBefore) || from.kind() == Peer.Kind.LOCAL && !nhBefore.isEmpty();
        if (peer.ebgp()) {
            a = a.with(a.asPath().prepend(me.as()));
            if (!policySetNextHop && to.nextHop() != NextHopMode.KEEP) {
                a = a.withNextHops(List.of(to.localAddress()));
            }
        } else if (reflecting) {
            if (a.originatorId() < 0) {
                a = a.with(new OriginatorId(from.routerId()));
            }
            List<java.net.Inet4Address> clusters = new ArrayList<>();
            clusters.add(me.clusterId());
            a.get(ClusterList.class).ifPresent(c -> clusters.addAll(c.ids()));
            a = a.with(new ClusterList(clusters));
        } else if (!policySetNextHop && (from.kind() == Peer.Kind.LOCAL || a.nextHops().isEmpty()
                || to.nextHop() == NextHopMode.SELF)) {
            a = a.withNextHops(List.of(to.localAddress()));
        }
        if (a.nextHops().isEmpty()) {
            a = a.withNextHops(List.of(to.localAddress()));
        }
        return Optional.of(a);
    }

    /** Attributes of a route we originate (redistribution): ORIGIN as given, empty AS_PATH, no next hop yet. */
    public static AttrSet originate(int origin, List<PathAttribute> extra) {
        List<PathAttribute> list = new ArrayList<>(extra);
        list.add(new PathAttribute.Origin(origin));
        list.add(PathAttribute.AsPath.EMPTY);
        return AttrSet.of(list);
    }
}
