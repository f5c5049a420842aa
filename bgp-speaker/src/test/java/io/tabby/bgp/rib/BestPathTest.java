package io.tabby.bgp.rib;

import static io.tabby.bgp.rib.Attrs.ebgp;
import static io.tabby.bgp.rib.Attrs.ibgp;
import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.rib.BestPath.Decision;
import io.tabby.bgp.rib.BestPath.NextHopCost;
import io.tabby.bgp.rib.BestPath.Options;
import io.tabby.bgp.rib.BestPath.Reason;
import io.tabby.bgp.wire.Addresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per RFC 4271 9.1.2.2 / RFC 4456 tie-breaker: the two paths differ only in that step. */
class BestPathTest {
    private final BestPath bp = new BestPath(Options.DEFAULT);
    private final Peer a = ebgp("10.0.0.1", "1.1.1.1", 65001);
    private final Peer b = ebgp("10.0.0.2", "2.2.2.2", 65001);

    private static void assertWins(BestPath bp, Path winner, Path loser, Reason reason) {
        for (List<Path> order : List.of(List.of(winner, loser), List.of(loser, winner))) {
            Decision d = bp.select(order);
            assertThat(d.best()).as("best of %s", order).isSameAs(winner);
            assertThat(d.reason()).isEqualTo(reason);
        }
    }

    @Test
    void onlyPath() {
        Path p = new Path(Attrs.of().set(), a);
        assertThat(bp.select(List.of(p))).isEqualTo(new Decision(p, Reason.ONLY_PATH, List.of(p)));
        assertThat(bp.select(List.of())).isEqualTo(Decision.NONE);
    }

    @Test
    void higherLocalPrefWinsEvenOverShorterPath() {
        Path hi = new Path(Attrs.of().lp(200).path(65001, 1, 2, 3).set(), a);
        Path lo = new Path(Attrs.of().lp(100).path(65001).set(), b);
        assertWins(bp, hi, lo, Reason.LOCAL_PREF);
    }

    @Test
    void missingLocalPrefCountsAs100() {
        Path none = new Path(Attrs.of().path(65001).set(), a);
        Path low = new Path(Attrs.of().lp(99).path(65001).set(), b);
        assertWins(bp, none, low, Reason.LOCAL_PREF);
    }

    @Test
    void shorterAsPath() {
        Path shortP = new Path(Attrs.of().path(65001, 7).set(), b);
        Path longP = new Path(Attrs.of().path(65001, 7, 8).set(), a);
        assertWins(bp, shortP, longP, Reason.AS_PATH);
    }

    @Test
    void lowerOrigin() {
        Path igp = new Path(Attrs.of().path(65001).origin(0).set(), b);
        Path inc = new Path(Attrs.of().path(65001).origin(2).set(), a);
        assertWins(bp, igp, inc, Reason.ORIGIN);
    }

    @Test
    void lowerMedFromTheSameNeighbourAs() {
        Path low = new Path(Attrs.of().path(65001).med(5).set(), b);
        Path high = new Path(Attrs.of().path(65001).med(10).set(), a);
        assertWins(bp, low, high, Reason.MED);
    }

    @Test
    void missingMedIsZero() {
        Path none = new Path(Attrs.of().path(65001).set(), b);
        Path some = new Path(Attrs.of().path(65001).med(1).set(), a);
        assertWins(bp, none, some, Reason.MED);
    }

    @Test
    void medIgnoredAcrossNeighbourAsesUnlessAlwaysCompare() {
        Peer other = ebgp("10.0.0.3", "3.3.3.3", 65002);
        Path lowMedHighId = new Path(Attrs.of().path(65002).med(1).set(), other);
        Path highMedLowId = new Path(Attrs.of().path(65001).med(50).set(), a);
        // Different neighbour AS: MED not compared, so router id decides.
        assertWins(bp, highMedLowId, lowMedHighId, Reason.ROUTER_ID);
        assertWins(new BestPath(Options.DEFAULT.withAlwaysCompareMed(true)), lowMedHighId, highMedLowId, Reason.MED);
    }

    @Test
    void medIsOrderIndependentWhenNonTransitive() {
        // Classic MED cycle: A(AS1, med 10) beats B(AS1, med 20) by MED; B beats C (AS2) by router id;
        // C beats A by router id. Elimination (RFC order) must pick the same one for every order.
        Peer p1 = ebgp("10.0.0.1", "9.9.9.1", 1);
        Peer p2 = ebgp("10.0.0.2", "9.9.9.0", 1);
        Peer p3 = ebgp("10.0.0.3", "9.9.9.2", 2);
        Path pa = new Path(Attrs.of().path(1).med(10).set(), p1);
        Path pb = new Path(Attrs.of().path(1).med(20).set(), p2);
        Path pc = new Path(Attrs.of().path(2).med(0).set(), p3);
        Path first = bp.select(List.of(pa, pb, pc)).best();
        for (List<Path> order : List.of(List.of(pb, pc, pa), List.of(pc, pa, pb), List.of(pc, pb, pa))) {
            assertThat(bp.select(order).best()).isSameAs(first);
        }
        assertThat(first).isSameAs(pa); // B is out by MED (same AS as A), then A beats C by router id
    }

    @Test
    void ebgpOverIbgp() {
        Path ext = new Path(Attrs.of().path(65001).set(), ebgp("10.0.0.9", "9.9.9.9", 65001));
        Path in = new Path(Attrs.of().path(65001).set(), ibgp("10.0.0.1", "1.1.1.1"));
        assertWins(bp, ext, in, Reason.EBGP_OVER_IBGP);
    }

    @Test
    void lowerIgpCost() {
        NextHopCost igp = nh -> nh.getHostAddress().equals("192.0.2.1") ? 10 : 20;
        var withIgp = new BestPath(Options.DEFAULT.withIgp(igp));
        Path near = new Path(Attrs.of().path(65001).nh("192.0.2.1").set(), ibgp("10.0.0.2", "2.2.2.2"));
        Path far = new Path(Attrs.of().path(65001).nh("192.0.2.2").set(), ibgp("10.0.0.1", "1.1.1.1"));
        assertWins(withIgp, near, far, Reason.IGP_COST);
    }

    @Test
    void unreachableNextHopIsNotACandidate() {
        NextHopCost igp = nh -> nh.getHostAddress().equals("192.0.2.9") ? NextHopCost.UNREACHABLE : 0;
        var withIgp = new BestPath(Options.DEFAULT.withIgp(igp));
        Path good = new Path(Attrs.of().lp(100).path(65001).set(), a);
        Path dead = new Path(Attrs.of().lp(500).path(65001).nh("192.0.2.9").set(), b);
        assertWins(withIgp, good, dead, Reason.NEXT_HOP_REACHABILITY);
        assertThat(withIgp.select(List.of(dead))).isEqualTo(Decision.NONE);
    }

    @Test
    void lowerRouterId() {
        assertWins(bp, new Path(Attrs.of().path(65001).set(), a), new Path(Attrs.of().path(65001).set(), b),
                Reason.ROUTER_ID);
    }

    @Test
    void originatorIdStandsInForRouterId() {
        // Reflected path from b (router id 2.2.2.2) originated by 0.0.0.5 beats a (1.1.1.1).
        Path reflected = new Path(Attrs.of().originator("0.0.0.5").set(), ibgp("10.0.0.2", "2.2.2.2"));
        Path direct = new Path(Attrs.of().set(), ibgp("10.0.0.1", "1.1.1.1"));
        assertWins(bp, reflected, direct, Reason.ROUTER_ID);
    }

    @Test
    void shorterClusterList() {
        Path one = new Path(Attrs.of().originator("5.5.5.5").clusters("9.0.0.1").set(), ibgp("10.0.0.2", "2.2.2.2"));
        Path two = new Path(Attrs.of().originator("5.5.5.5").clusters("9.0.0.1", "9.0.0.2").set(),
                ibgp("10.0.0.1", "1.1.1.1"));
        assertWins(bp, one, two, Reason.CLUSTER_LIST);
    }

    @Test
    void lowerPeerAddress() {
        Peer x = ebgp("10.0.0.7", "7.7.7.7", 65001);
        Peer y = ebgp("10.0.0.20", "7.7.7.7", 65001); // same router id, two sessions
        assertWins(bp, new Path(Attrs.of().path(65001).set(), x), new Path(Attrs.of().path(65001).set(), y),
                Reason.PEER_ADDRESS);
    }

    @Test
    void lowerPathIdFromTheSamePeer() {
        assertWins(bp, new Path(Attrs.of().set(), a, 1, 0), new Path(Attrs.of().set(), a, 2, 0), Reason.PATH_ID);
    }

    @Test
    void multipathTakesEqualPathsUpToTheMaximum() {
        var ecmp = new BestPath(Options.DEFAULT.withMaxPaths(2));
        Peer c = ebgp("10.0.0.3", "3.3.3.3", 65001);
        Path pa = new Path(Attrs.of().path(65001).nh("10.0.0.1").set(), a);
        Path pb = new Path(Attrs.of().path(65001).nh("10.0.0.2").set(), b);
        Path pc = new Path(Attrs.of().path(65001).nh("10.0.0.3").set(), c);
        Path worse = new Path(Attrs.of().path(65001, 5).nh("10.0.0.4").set(), ebgp("10.0.0.4", "0.0.0.1", 65001));
        Decision d = ecmp.select(List.of(worse, pc, pb, pa));
        assertThat(d.best()).isSameAs(pa);
        assertThat(d.multipath()).containsExactly(pa, pb); // capped at 2, ordered by router id
        assertThat(new BestPath(Options.DEFAULT.withMaxPaths(8)).select(List.of(worse, pc, pb, pa)).multipath())
                .containsExactly(pa, pb, pc);
        assertThat(bp.select(List.of(pa, pb)).multipath()).containsExactly(pa);
    }

    @Test
    void multipathNeedsTheSameAsPathUnlessRelaxed() {
        Peer c = ebgp("10.0.0.3", "3.3.3.3", 65002);
        Path pa = new Path(Attrs.of().path(65001).set(), a);
        Path pc = new Path(Attrs.of().path(65002).set(), c);
        Options o = Options.DEFAULT.withMaxPaths(4);
        assertThat(new BestPath(o).select(List.of(pa, pc)).multipath()).containsExactly(pa);
        assertThat(new BestPath(o.withMultipathRelax(true)).select(List.of(pa, pc)).multipath())
                .containsExactly(pa, pc);
    }

    @Test
    void rankOrdersEveryPathWithItsReason() {
        Path best = new Path(Attrs.of().lp(300).set(), b);
        Path second = new Path(Attrs.of().path(65001).set(), a);
        Path third = new Path(Attrs.of().path(65001, 2).set(), ebgp("10.0.0.5", "0.0.0.9", 65001));
        var ranked = bp.rank(List.of(third, second, best));
        assertThat(ranked).extracting(BestPath.Ranked::path).containsExactly(best, second, third);
        assertThat(ranked).extracting(BestPath.Ranked::reason)
                .containsExactly(Reason.LOCAL_PREF, Reason.AS_PATH, Reason.ONLY_PATH);
    }

    @Test
    void peerAddressComparisonIsUnsigned() {
        assertThat(BestPath.compareAddresses(Addresses.parse("10.0.0.1"), Addresses.parse("200.0.0.1"))).isNegative();
    }
}
