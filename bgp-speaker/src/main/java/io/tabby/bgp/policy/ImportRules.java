package io.tabby.bgp.policy;

import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.PathAttribute.ClusterList;

/**
 * The protocol's own checks on a received route, before the import policy. Pure.
 * <ul>
 *   <li>RFC 4271 9.1.2: a route whose AS_PATH contains our AS is a loop (more than
 *       {@code allowAsIn} times, for the Calico-style "same AS on every rack" case).
 *   <li>RFC 4271 6.3: from eBGP, the leftmost AS must be the neighbour's ("enforce-first-as").
 *   <li>RFC 4456 section 8: ORIGINATOR_ID equal to our router id, or our cluster id in
 *       CLUSTER_LIST, is a reflection loop.
 *   <li>RFC 4271 5.1.5: LOCAL_PREF from an external peer is ignored (removed).
 * </ul>
 */
public final class ImportRules {
    private ImportRules() {}

    /** Accepted (with the attributes to keep) or rejected with the reason. */
    public sealed interface Verdict {
        record Accept(AttrSet attrs) implements Verdict {}

        record Reject(String reason) implements Verdict {}
    }

    public static Verdict check(AttrSet attrs, Peer from, Speaker me, int allowAsIn) {
        if (from.kind() == Peer.Kind.LOCAL) {
            return new Verdict.Accept(attrs);
        }
        long own = attrs.asPath().segments().stream().flatMap(s -> s.asns().stream()).filter(a -> a == me.as()).count();
        if (own > allowAsIn) {
            return new Verdict.Reject("AS loop: AS_PATH " + attrs.asPathString() + " contains our AS " + me.as());
        }
        if (from.ebgp()) {
            if (attrs.neighbourAs() != from.as()) {
                return new Verdict.Reject("first AS in AS_PATH '" + attrs.asPathString() + "' is not the neighbour's AS "
                        + from.as());
            }
            return new Verdict.Accept(attrs.without(5)); // LOCAL_PREF
        }
        if (attrs.originatorId() == Addresses.toLong(me.routerId())) {
            return new Verdict.Reject("reflection loop: ORIGINATOR_ID is our router id " + me.routerId().getHostAddress());
        }
        if (attrs.get(ClusterList.class).map(c -> c.ids().contains(me.clusterId())).orElse(false)) {
            return new Verdict.Reject("reflection loop: CLUSTER_LIST contains our cluster id "
                    + me.clusterId().getHostAddress());
        }
        return new Verdict.Accept(attrs);
    }
}
