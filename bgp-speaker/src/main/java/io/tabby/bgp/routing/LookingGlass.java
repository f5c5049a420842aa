package io.tabby.bgp.routing;

import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.LocRib;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.wire.PathAttribute.Communities;
import io.tabby.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.ArrayList;
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

    /** Every path {@code rib} holds to {@code prefix}, best first, each with the step that ranked it. */
    static RouteView route(LocRib rib, Prefix prefix) {
        BestPath.Decision d = rib.decision(prefix);
        List<PathView> views = new ArrayList<>();
        for (BestPath.Ranked r : rib.bestPath().rank(rib.paths(prefix))) {
            views.add(view(r.path(), r.path() == d.best(), d.multipath().contains(r.path()), r.reason()));
        }
        return new RouteView(prefix.toString(), prefix.family().toString(), views);
    }

    private static PathView view(Path p, boolean best, boolean multi, BestPath.Reason reason) {
        AttrSet a = p.attrs();
        List<String> comms = a.get(Communities.class).map(c -> c.values().stream()
                .map(v -> (v >>> 16) + ":" + (v & 0xffff)).toList()).orElse(List.of());
        String origin = switch (a.origin()) {
            case 0 -> "IGP";
            case 1 -> "EGP";
            default -> "INCOMPLETE";
        };
        return new PathView(p.source().toString(), p.source().kind().name(),
                a.nextHops().stream().map(InetAddress::getHostAddress).toList(), a.asPathString(), origin,
                a.localPref(), a.med(), comms, Integer.toUnsignedLong(p.pathId()), best, multi, p.stale(), reason);
    }

    /**
     * {@code tabby bgp routes PREFIX} as text, one line per path, best first, in the style of
     * BIRD's {@code show route all} and FRR's {@code show bgp}: {@code *>} best, {@code *=} also in
     * the ECMP set, {@code * } valid; {@code S} stale; then why it won over the paths below it.
     */
    public static String format(RouteView r) {
        var sb = new StringBuilder(r.prefix()).append(" (").append(r.family()).append(")\n");
        if (r.paths().isEmpty()) {
            return sb.append("  no paths\n").toString();
        }
        for (PathView p : r.paths()) {
            String mark = p.best() ? "*>" : p.multipath() ? "*=" : p.reason() == BestPath.Reason.NONE ? "  " : "* ";
            sb.append("  ").append(mark).append(p.stale() ? "S " : "  ")
                    .append("via ").append(p.nextHops().isEmpty() ? "-" : String.join(",", p.nextHops()))
                    .append(" from ").append(p.peer()).append(' ').append(p.peerKind())
                    .append(" path [").append(p.asPath()).append("] ").append(p.origin());
            if (p.localPref() >= 0) {
                sb.append(" lp ").append(p.localPref());
            }
            if (p.med() >= 0) {
                sb.append(" med ").append(p.med());
            }
            if (!p.communities().isEmpty()) {
                sb.append(" comm ").append(String.join(" ", p.communities()));
            }
            if (p.pathId() != 0) {
                sb.append(" id ").append(p.pathId());
            }
            sb.append("  (").append(reasonText(p.reason())).append(")\n");
        }
        return sb.toString();
    }

    /** {@code tabby bgp peers} as a table. */
    public static String format(List<PeerView> peers) {
        var sb = new StringBuilder(String.format("%-39s %10s %-5s %-4s %8s %8s %10s %8s %9s %9s  %s%n", "neighbour", "AS",
                "kind", "up", "received", "accepted", "advertised", "rejected", "updates<", "updates>", "last event"));
        for (PeerView p : peers) {
            sb.append(String.format("%-39s %10d %-5s %-4s %8s %8d %10d %8d %9d %9d  %s%n", p.address()
                    + (p.rrClient() ? " (rr-client)" : ""), p.as(), p.kind(), p.up() ? (p.stale() ? "up,S" : "up") : "down",
                    p.received() < 0 ? "-" : Long.toString(p.received()), p.accepted(), p.advertised(), p.rejected(),
                    p.updatesIn(), p.updatesOut(), p.lastEvent()));
        }
        return sb.toString();
    }

    private static String reasonText(BestPath.Reason r) {
        return switch (r) {
            case NONE -> "not eligible: next hop unreachable";
            case ONLY_PATH -> "only candidate left";
            case NEXT_HOP_REACHABILITY -> "others' next hops unreachable";
            case LOCAL_PREF -> "higher local preference";
            case AS_PATH -> "shorter AS path";
            case ORIGIN -> "lower origin";
            case MED -> "lower MED";
            case EBGP_OVER_IBGP -> "eBGP over iBGP";
            case IGP_COST -> "lower IGP cost to next hop";
            case ROUTER_ID -> "lower router id / originator id";
            case CLUSTER_LIST -> "shorter cluster list";
            case PEER_ADDRESS -> "lower peer address";
            case PATH_ID -> "lower path id";
        };
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
