package io.tabby.bgp.rib;

import io.tabby.bgp.wire.Prefix;
import java.util.List;

/**
 * What a Loc-RIB mutation did to one prefix: the best path before and after (null for none),
 * the decision step that chose the new one, and the new ECMP set (best first; empty when there is
 * no best). Produced only when the best path or the multipath set actually changed, so every
 * Change is work for the FIB and the Adj-RIBs-Out.
 */
public record Change(Prefix prefix, Path oldBest, Path newBest, BestPath.Reason reason, List<Path> multipath) {
    public Change {
        multipath = List.copyOf(multipath);
    }

    public boolean withdrawn() {
        return newBest == null;
    }
}
