package io.tabby.bgp.routing;

import io.tabby.bgp.rib.BestPath;
import java.util.List;

/**
 * Looking-glass values: what {@code tabby bgp routes [PREFIX]} and {@code tabby bgp peers} show,
 * and the local JSON API serialises. Plain records of strings and numbers so the CLI and Jackson
 * need nothing from the RIB's internals.
 */
public final class LookingGlass {
    private LookingGlass() {}

    /** One prefix with every path, best first. */
    public record RouteView(String prefix, String family, List<PathView> paths) {
        public RouteView {
            paths = List.copyOf(paths);
        }
    }

    /**
     * One path: where from, its attributes, whether it is the best or in the ECMP set, stale (GR),
     * and the decision step at which it beat the paths listed after it.
     */
    public record PathView(String peer, String peerKind, List<String> nextHops, String asPath, String origin,
                           long localPref, long med, List<String> communities, long pathId, boolean best,
                           boolean multipath, boolean stale, BestPath.Reason reason) {
        public PathView {
            nextHops = List.copyOf(nextHops);
            communities = List.copyOf(communities);
        }
    }

    /**
     * One neighbour as the RIB sees it: address, AS, kind, whether its session is up and which
     * families it carries, prefix counts per direction (received is -1 without Adj-RIB-In
     * retention), UPDATE counts, and the last rejection or limit event.
     */
    public record PeerView(String address, long as, String kind, boolean rrClient, boolean up, List<String> families,
                           long received, long accepted, long advertised, long rejected, long updatesIn,
                           long updatesOut, boolean stale, String lastEvent) {
        public PeerView {
            families = List.copyOf(families);
        }
    }
}
