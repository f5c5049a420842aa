package io.tabby.bgp.rib;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The BGP decision process of RFC 4271 section 9.1.2 (phase 2) for the paths to one prefix,
 * with the RFC 4456 section 9 changes for route reflection, as a chain of named steps. Each
 * {@link Reason} is one step with its own comparator; the winner carries the step that
 * eliminated its last competitor, which is what {@code tabby bgp routes} shows ("why").
 *
 * <p>Selection eliminates rather than sorts, as the RFC describes it: at each step every path
 * that some remaining path beats is dropped. This matters for MED, which only compares paths
 * from the same neighbouring AS (9.1.2.2 c) and is therefore not transitive: a sort would make
 * the result depend on arrival order; elimination does not (a property test checks this).
 *
 * <p>Options come in through the constructor (never a static), including the IGP cost of a next
 * hop: a path whose next hop is unreachable is not a candidate (9.1.2 "resolvable").
 */
public final class BestPath {
    /** How the IGP reaches a next hop: a cost, or {@link #UNREACHABLE}. */
    @FunctionalInterface
    public interface NextHopCost {
        long UNREACHABLE = Long.MAX_VALUE;

        /** Every next hop reachable at cost 0: directly connected peers, as in a Calico node mesh. */
        NextHopCost ALL_REACHABLE = nh -> 0;

        long cost(InetAddress nextHop);
    }

    /**
     * @param alwaysCompareMed compare MED between paths from different neighbouring ASes too
     * @param maxPaths ECMP: how many equal paths make the multipath set (1 = no multipath)
     * @param multipathRelax allow multipath across different AS paths of the same length
     * @param igp next hop reachability and cost
     */
    public record Options(boolean alwaysCompareMed, int maxPaths, boolean multipathRelax, NextHopCost igp) {
        public static final Options DEFAULT = new Options(false, 1, false, NextHopCost.ALL_REACHABLE);

        public Options {
            if (maxPaths < 1 || maxPaths > 256) {
                throw new IllegalArgumentException("maxPaths must be 1..256, was " + maxPaths);
            }
        }

        public Options withMaxPaths(int n) {
            return new Options(alwaysCompareMed, n, multipathRelax, igp);
        }

        public Options withAlwaysCompareMed(boolean b) {
            return new Options(b, maxPaths, multipathRelax, igp);
        }

        public Options withIgp(NextHopCost c) {
            return new Options(alwaysCompareMed, maxPaths, multipathRelax, c);
        }

        public Options withMultipathRelax(boolean b) {
            return new Options(alwaysCompareMed, maxPaths, b, igp);
        }
    }

    /** Why the best path won, in decision order. The comparator of each step: negative = {@code a} better. */
    public enum Reason {
        /** No eligible path. */
        NONE,
        /** The only candidate. */
        ONLY_PATH,
        /** The others' next hops are unreachable (RFC 4271 9.1.2). */
        NEXT_HOP_REACHABILITY,
        /** Highest LOCAL_PREF (9.1.1; default 100 when absent). */
        LOCAL_PREF,
        /** Shortest AS_PATH (9.1.2.2 a; an AS_SET counts 1). */
        AS_PATH,
        /** Lowest ORIGIN: IGP < EGP < INCOMPLETE (9.1.2.2 b). */
        ORIGIN,
        /** Lowest MED among paths from the same neighbouring AS, or among all with always-compare (9.1.2.2 c). */
        MED,
        /** eBGP-learned (or locally originated) over iBGP-learned (9.1.2.2 d). */
        EBGP_OVER_IBGP,
        /** Lowest interior cost to the next hop (9.1.2.2 e). */
        IGP_COST,
        /** Lowest BGP identifier, or ORIGINATOR_ID when present (9.1.2.2 f, RFC 4456 section 9). */
        ROUTER_ID,
        /** Shortest CLUSTER_LIST (RFC 4456 section 9). */
        CLUSTER_LIST,
        /** Lowest peer address (9.1.2.2 g). */
        PEER_ADDRESS,
        /** Lowest ADD-PATH identifier from the same peer: a last deterministic tie-break. */
        PATH_ID;

        /** Negative when {@code a} is better than {@code b} at this step; 0 when equal or not comparable. */
        int compare(Path a, Path b, Options o) {
            AttrSet x = a.attrs();
            AttrSet y = b.attrs();
            return switch (this) {
                case LOCAL_PREF -> Long.compare(y.effectiveLocalPref(), x.effectiveLocalPref());
                case AS_PATH -> Integer.compare(x.asPathLength(), y.asPathLength());
                case ORIGIN -> Integer.compare(x.origin(), y.origin());
                case MED -> o.alwaysCompareMed() || x.neighbourAs() == y.neighbourAs()
                        ? Long.compare(med(x), med(y)) : 0;
                case EBGP_OVER_IBGP -> Boolean.compare(a.source().ibgp(), b.source().ibgp());
                case IGP_COST -> Long.compare(cost(a, o), cost(b, o));
                case ROUTER_ID -> Long.compare(routerId(a), routerId(b));
                case CLUSTER_LIST -> Integer.compare(x.clusterListLength(), y.clusterListLength());
                case PEER_ADDRESS -> compareAddresses(a.source().address(), b.source().address());
                case PATH_ID -> Integer.compareUnsigned(a.pathId(), b.pathId());
                case NONE, ONLY_PATH, NEXT_HOP_REACHABILITY -> 0;
            };
        }
    }

    /** The elimination steps, in order. Multipath candidates are the survivors of the steps up to IGP_COST. */
    private static final Reason[] STEPS = {
        Reason.LOCAL_PREF, Reason.AS_PATH, Reason.ORIGIN, Reason.MED, Reason.EBGP_OVER_IBGP, Reason.IGP_COST,
        Reason.ROUTER_ID, Reason.CLUSTER_LIST, Reason.PEER_ADDRESS, Reason.PATH_ID,
    };

    /**
     * The outcome for one prefix: the best path (null if none is eligible), why, and the ECMP set
     * (best first; just the best when multipath is off).
     */
    public record Decision(Path best, Reason reason, List<Path> multipath) {
        public static final Decision NONE = new Decision(null, Reason.NONE, List.of());

        public Decision {
            multipath = List.copyOf(multipath);
        }
    }

    private final Options options;

    public BestPath(Options options) {
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /** Runs the decision process over the paths to one prefix (any order, no duplicates by identity). */
    public Decision select(List<Path> paths) {
        if (paths.isEmpty()) {
            return Decision.NONE;
        }
        if (paths.size() == 1) {
            Path p = paths.getFirst();
            return reachable(p) ? new Decision(p, Reason.ONLY_PATH, List.of(p)) : Decision.NONE;
        }
        List<Path> cands = new ArrayList<>(paths.size());
        for (Path p : paths) {
            if (reachable(p)) {
                cands.add(p);
            }
        }
        if (cands.isEmpty()) {
            return Decision.NONE;
        }
        Reason reason = cands.size() < paths.size() ? Reason.NEXT_HOP_REACHABILITY : Reason.ONLY_PATH;
        return cands.size() == 2 ? selectOfTwo(cands.get(0), cands.get(1), reason) : byElimination(cands, reason);
    }

    /**
     * Two candidates, the usual case when a prefix has more than one path (a dual-homed node, two
     * reflectors): the first step that tells them apart decides, which is what elimination
     * amounts to for two, without its lists. The comparators are antisymmetric, so "some
     * remaining path beats it" is one comparison.
     */
    private Decision selectOfTwo(Path a, Path b, Reason reason) {
        for (Reason step : STEPS) {
            int c = step.compare(a, b, options);
            if (c != 0) {
                Path best = c < 0 ? a : b;
                // Told apart up to IGP_COST: the loser is not in the multipath set; after it, it is.
                boolean both = step.ordinal() > Reason.IGP_COST.ordinal();
                return new Decision(best, step, both ? multipath(best, List.of(a, b)) : List.of(best));
            }
        }
        return new Decision(a, reason, multipath(a, List.of(a, b)));
    }

    /** The general decision by elimination (package-private for the property test of {@link #selectOfTwo}). */
    Decision byElimination(List<Path> cands, Reason reason) {
        List<Path> multipath = null;
        for (Reason step : STEPS) {
            if (cands.size() > 1) {
                List<Path> survivors = eliminate(cands, step);
                if (survivors.size() < cands.size()) {
                    reason = step;
                }
                cands = survivors;
            }
            if (step == Reason.IGP_COST) {
                multipath = cands;
            }
        }
        Path best = cands.getFirst();
        return new Decision(best, reason, multipath(best, multipath));
    }

    /**
     * All paths, best first, then each next-best of the rest (for the looking glass), with the
     * reason each beat the ones after it. Unreachable paths come last with reason NONE.
     */
    public List<Ranked> rank(List<Path> paths) {
        List<Ranked> out = new ArrayList<>(paths.size());
        List<Path> rest = new ArrayList<>(paths);
        while (!rest.isEmpty()) {
            Decision d = select(rest);
            if (d.best() == null) {
                rest.forEach(p -> out.add(new Ranked(p, Reason.NONE)));
                break;
            }
            out.add(new Ranked(d.best(), d.reason()));
            rest.remove(d.best());
        }
        return out;
    }

    /** A path and the step at which it beat every path ranked after it. */
    public record Ranked(Path path, Reason reason) {}

    private List<Path> eliminate(List<Path> cands, Reason step) {
        List<Path> out = new ArrayList<>(cands.size());
        outer:
        for (Path c : cands) {
            for (Path d : cands) {
                if (d != c && step.compare(d, c, options) < 0) {
                    continue outer;
                }
            }
            out.add(c);
        }
        return out;
    }

    private List<Path> multipath(Path best, List<Path> equal) {
        if (options.maxPaths() == 1 || equal.size() == 1) {
            return List.of(best);
        }
        List<Path> set = new ArrayList<>(equal.size());
        for (Path p : equal) {
            if (p != best && (options.multipathRelax() || p.attrs().asPath().equals(best.attrs().asPath()))) {
                set.add(p);
            }
        }
        // Order the rest by the remaining tie-breakers so the cap keeps the better ones.
        List<Path> ordered = new ArrayList<>(set.size() + 1);
        ordered.add(best);
        for (Ranked r : rank(set)) {
            if (ordered.size() == options.maxPaths()) {
                break;
            }
            ordered.add(r.path());
        }
        return ordered;
    }

    boolean reachable(Path p) {
        return cost(p, options) != NextHopCost.UNREACHABLE;
    }

    private static long cost(Path p, Options o) {
        return p.source().kind() == Peer.Kind.LOCAL || p.attrs().nextHops().isEmpty()
                ? 0 : o.igp().cost(p.attrs().nextHops().getFirst());
    }

    /** RFC 4271 9.1.2.2 c: a missing MED is the lowest value, 0. */
    private static long med(AttrSet a) {
        return a.med() < 0 ? 0 : a.med();
    }

    /** RFC 4456 section 9: ORIGINATOR_ID stands in for the BGP identifier when present. */
    private static long routerId(Path p) {
        long o = p.attrs().originatorId();
        return o >= 0 ? o : p.source().routerIdValue();
    }

    static int compareAddresses(InetAddress a, InetAddress b) {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        return x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
    }
}
