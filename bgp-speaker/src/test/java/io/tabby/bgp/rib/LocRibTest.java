package io.tabby.bgp.rib;

import static io.tabby.bgp.rib.Attrs.ebgp;
import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.rib.BestPath.Options;
import io.tabby.bgp.rib.BestPath.Reason;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocRibTest {
    private final Peer a = ebgp("10.0.0.1", "1.1.1.1", 65001);
    private final Peer b = ebgp("10.0.0.2", "2.2.2.2", 65002);
    private final Prefix p = Prefix.parse("10.244.1.0/26");
    private final LocRib rib = new LocRib(Family.IPV4_UNICAST, new BestPath(Options.DEFAULT.withMaxPaths(4)));

    @Test
    void firstPathBecomesBestAndWithdrawRemovesIt() {
        Path pa = new Path(Attrs.of().path(65001).set(), a);
        assertThat(rib.update(p, pa)).isEqualTo(new Change(p, null, pa, Reason.ONLY_PATH, List.of(pa)));
        assertThat(rib.update(p, pa)).as("same path again").isNull();
        assertThat(rib.size()).isEqualTo(1);
        assertThat(rib.withdraw(p, a, 0)).isEqualTo(new Change(p, pa, null, Reason.NONE, List.of()));
        assertThat(rib.size()).isZero();
        assertThat(rib.pathCount()).isZero();
        assertThat(rib.withdraw(p, a, 0)).isNull();
    }

    @Test
    void betterSecondPathTakesOverAndLosingOneChangesNothing() {
        Path pa = new Path(Attrs.of().path(65001, 9).set(), a);
        Path pb = new Path(Attrs.of().path(65002).set(), b);
        rib.update(p, pa);
        assertThat(rib.update(p, pb)).isEqualTo(new Change(p, pa, pb, Reason.AS_PATH, List.of(pb)));
        // a's path gets longer still: it was not best, nothing visible changes.
        assertThat(rib.update(p, new Path(Attrs.of().path(65001, 9, 9).set(), a))).isNull();
        assertThat(rib.pathCount()).isEqualTo(2);
        assertThat(rib.paths(p)).first().isEqualTo(pb);
        // Withdrawing the best falls back to the other.
        Change c = rib.withdraw(p, b, 0);
        assertThat(c.oldBest()).isEqualTo(pb);
        assertThat(c.newBest().source()).isEqualTo(a);
        assertThat(c.reason()).isEqualTo(Reason.ONLY_PATH);
    }

    @Test
    void implicitWithdrawReplacesThePathFromTheSamePeer() {
        Path v1 = new Path(Attrs.of().path(65001).med(5).set(), a);
        Path v2 = new Path(Attrs.of().path(65001).med(7).set(), a);
        rib.update(p, v1);
        assertThat(rib.update(p, v2)).isEqualTo(new Change(p, v1, v2, Reason.ONLY_PATH, List.of(v2)));
        assertThat(rib.pathCount()).isEqualTo(1);
    }

    @Test
    void multipathChangeIsReportedEvenWhenBestStays() {
        Peer a2 = ebgp("10.0.0.3", "3.3.3.3", 65001);
        Path pa = new Path(Attrs.of().path(65001).nh("10.0.0.1").set(), a);
        Path pa2 = new Path(Attrs.of().path(65001).nh("10.0.0.3").set(), a2);
        rib.update(p, pa);
        Change c = rib.update(p, pa2);
        assertThat(c.oldBest()).isSameAs(pa);
        assertThat(c.newBest()).isSameAs(pa);
        assertThat(c.multipath()).containsExactly(pa, pa2);
        assertThat(rib.decision(p).multipath()).containsExactly(pa, pa2);
        Change gone = rib.withdraw(p, a2, 0);
        assertThat(gone.multipath()).containsExactly(pa);
    }

    @Test
    void rewritePeerMarksStaleAndSweeps() {
        Prefix q = Prefix.parse("10.244.2.0/26");
        Path pa = new Path(Attrs.of().path(65001).set(), a);
        Path pb = new Path(Attrs.of().path(65002, 1).set(), b);
        rib.update(p, pa);
        rib.update(p, pb);
        rib.update(q, pa);
        rib.rewritePeer(a, x -> true, x -> x.withFlags(Path.STALE));
        assertThat(rib.paths(q)).singleElement().matches(Path::stale);
        assertThat(rib.decision(p).best().stale()).isTrue();
        // a refreshes q only; sweeping its remaining stale paths drops p's path from a.
        rib.update(q, pa);
        List<Change> swept = rib.rewritePeer(a, Path::stale, x -> null);
        assertThat(swept).singleElement().satisfies(ch -> {
            assertThat(ch.prefix()).isEqualTo(p);
            assertThat(ch.newBest()).isEqualTo(pb);
        });
        assertThat(rib.paths(q)).containsExactly(pa);
        assertThat(rib.pathCount()).isEqualTo(2);
    }

    @Test
    void reselectAllReactsToNextHopReachability() {
        boolean[] down = {false};
        var igp = new BestPath(Options.DEFAULT.withIgp(nh -> down[0] && nh.getHostAddress().equals("10.0.0.1")
                ? BestPath.NextHopCost.UNREACHABLE : 0));
        LocRib r = new LocRib(Family.IPV4_UNICAST, igp);
        Path pa = new Path(Attrs.of().path(65001).nh("10.0.0.1").set(), a);
        r.update(p, pa);
        down[0] = true;
        assertThat(r.reselectAll()).containsExactly(new Change(p, pa, null, Reason.NONE, List.of()));
        assertThat(r.decision(p).best()).isNull();
        assertThat(r.paths(p)).containsExactly(pa); // still known, just not usable
        down[0] = false;
        assertThat(r.reselectAll()).containsExactly(new Change(p, null, pa, Reason.ONLY_PATH, List.of(pa)));
    }

    @Test
    void prefixesWithTheSamePathsShareOneEntryAndStayIndependent() {
        Prefix q = Prefix.parse("10.244.2.0/26");
        Prefix r = Prefix.parse("10.244.3.0/26");
        Path pa = new Path(Attrs.of().path(65001, 9).set(), a); // one object, as for one UPDATE's prefixes
        Path pb = new Path(Attrs.of().path(65002).set(), b);
        for (Prefix x : List.of(p, q, r)) {
            rib.update(x, pa);
            rib.update(x, pb);
        }
        assertThat(rib.entry(q)).isSameAs(rib.entry(p)).isSameAs(rib.entry(r));
        // An equal path that is another object does not share (the comparison is by identity).
        Prefix s = Prefix.parse("10.244.4.0/26");
        rib.update(s, pa);
        rib.update(s, new Path(pb.attrs(), b));
        assertThat(rib.entry(s)).isNotSameAs(rib.entry(p));
        // Changing one prefix's paths leaves the others as they were.
        Path pb2 = new Path(Attrs.of().path(65002, 7, 7).set(), b);
        assertThat(rib.update(q, pb2)).isEqualTo(new Change(q, pb, pa, Reason.AS_PATH, List.of(pa)));
        assertThat(rib.paths(q)).containsExactly(pa, pb2);
        assertThat(rib.paths(p)).containsExactly(pb, pa);
        assertThat(rib.paths(r)).containsExactly(pb, pa);
        assertThat(rib.withdraw(p, b, 0)).isEqualTo(new Change(p, pb, pa, Reason.ONLY_PATH, List.of(pa)));
        assertThat(rib.paths(r)).containsExactly(pb, pa);
        assertThat(rib.decision(r).best()).isSameAs(pb);
        assertThat(rib.pathCount()).isEqualTo(7);
    }

    @Test
    void ipv6PrefixesWorkToo() {
        LocRib six = new LocRib(Family.IPV6_UNICAST, new BestPath(Options.DEFAULT));
        Prefix v6 = Prefix.parse("2001:db8:1::/48");
        Path pa = new Path(Attrs.of().path(65001).nh("2001:db8::1").set(), a);
        assertThat(six.update(v6, pa).newBest()).isSameAs(pa);
        assertThat(six.decision(Prefix.parse("2001:db8:1::/48")).best()).isSameAs(pa);
    }
}
