package io.tabby.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.rib.BestPath.Options;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The decision must not depend on the order paths arrive in, directly or through the Loc-RIB. */
class BestPathPropertiesTest {

    @Provide
    Arbitrary<List<Path>> paths() {
        return path().list().ofMinSize(1).ofMaxSize(4).uniqueElements(p -> p.source().address());
    }

    @Provide
    Arbitrary<List<Path>> twoPaths() {
        return path().list().ofSize(2).uniqueElements(p -> p.source().address());
    }

    private static Arbitrary<Path> path() {
        // Small value ranges so ties (and MED across ASes) happen often. One path per peer.
        return Combinators.combine(
                Arbitraries.integers().between(1, 4),   // peer index (address, router id)
                Arbitraries.of(100L, 200L),             // local pref
                Arbitraries.integers().between(0, 2),   // extra AS path length
                Arbitraries.integers().between(0, 2),   // origin
                Arbitraries.of(-1L, 0L, 10L),           // MED (-1 none)
                Arbitraries.of(65001L, 65002L),         // neighbour AS
                Arbitraries.of(false, true)             // iBGP
        ).as((peer, lp, extra, origin, med, nas, ibgp) -> {
            long[] asns = new long[1 + extra];
            asns[0] = nas;
            for (int i = 1; i < asns.length; i++) {
                asns[i] = 100 + i;
            }
            Attrs at = Attrs.of().lp(lp).path(asns).origin(origin).nh("10.0.0." + peer);
            if (med >= 0) {
                at.med(med);
            }
            Peer src = ibgp ? Attrs.ibgp("10.0.0." + peer, "9.9.9." + (5 - peer))
                    : Attrs.ebgp("10.0.0." + peer, "9.9.9." + (5 - peer), nas);
            return new Path(at.set(), src);
        });
    }

    @Property(tries = 300)
    void selectionIsIndependentOfOrder(@ForAll("paths") List<Path> paths, @ForAll long seed,
                                       @ForAll boolean alwaysCompareMed) {
        BestPath bp = new BestPath(Options.DEFAULT.withAlwaysCompareMed(alwaysCompareMed).withMaxPaths(4));
        BestPath.Decision expected = bp.select(paths);
        List<Path> shuffled = new ArrayList<>(paths);
        Collections.shuffle(shuffled, new Random(seed));
        BestPath.Decision d = bp.select(shuffled);
        assertThat(d.best()).isEqualTo(expected.best());
        assertThat(d.reason()).isEqualTo(expected.reason());
        assertThat(d.multipath()).isEqualTo(expected.multipath());
    }

    @Property(tries = 500)
    void twoCandidatesDecideAsEliminationDoes(@ForAll("twoPaths") List<Path> paths, @ForAll boolean alwaysCompareMed,
                                               @ForAll boolean multipath) {
        // select() takes a shortcut for two reachable paths; it must agree with the general
        // elimination in best path, reason and multipath set.
        BestPath bp = new BestPath(Options.DEFAULT.withAlwaysCompareMed(alwaysCompareMed).withMaxPaths(multipath ? 4 : 1));
        BestPath.Decision fast = bp.select(paths);
        BestPath.Decision general = bp.byElimination(paths, BestPath.Reason.ONLY_PATH);
        assertThat(fast.best()).isEqualTo(general.best());
        assertThat(fast.reason()).isEqualTo(general.reason());
        assertThat(fast.multipath()).isEqualTo(general.multipath());
    }

    @Property(tries = 200)
    void locRibEndsInTheSameStateForAnyArrivalOrder(@ForAll("paths") List<Path> paths, @ForAll long seed) {
        BestPath bp = new BestPath(Options.DEFAULT.withMaxPaths(2));
        Prefix p = Prefix.parse("100.64.0.0/24");
        LocRib forward = new LocRib(Family.IPV4_UNICAST, bp);
        paths.forEach(x -> forward.update(p, x));
        List<Path> shuffled = new ArrayList<>(paths);
        Collections.shuffle(shuffled, new Random(seed));
        LocRib other = new LocRib(Family.IPV4_UNICAST, bp);
        shuffled.forEach(x -> other.update(p, x));
        assertThat(other.decision(p)).isEqualTo(forward.decision(p));
        assertThat(forward.decision(p)).isEqualTo(bp.select(paths));
    }
}
