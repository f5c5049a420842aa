package io.tabby.bgp.fib;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.wire.Addresses;
import io.tabby.netlink.Route;
import io.tabby.netlink.RouteProtocol;
import io.tabby.netlink.RouteType;
import java.util.List;
import org.junit.jupiter.api.Test;

class NextHopTableTest {
    final NextHopTable t = new NextHopTable(Route.TABLE_MAIN, 250);

    static long cost(NextHopTable t, String nh) {
        return t.cost(Addresses.parse(nh));
    }

    @Test
    void longestMatchAtItsMetricAndNothingThroughDefaultOurOwnOrBlackholes() {
        t.reset(List.of(
                Route.to("0.0.0.0/0").via("10.0.0.254"),
                Route.to("10.0.0.0/24").protocol(RouteProtocol.KERNEL),
                Route.to("10.1.0.0/16").via("10.0.0.9").metric(20),
                Route.to("10.1.2.0/24").via("10.0.0.9").metric(5),
                Route.to("10.2.0.0/16").via("10.0.0.9").protocol(new RouteProtocol(250)),
                Route.to("10.3.0.0/16").type(RouteType.BLACKHOLE),
                Route.to("10.4.0.0/16").via("10.0.0.9").table(100)));
        assertThat(cost(t, "10.0.0.7")).isZero();
        assertThat(cost(t, "10.1.9.9")).isEqualTo(20);
        assertThat(cost(t, "10.1.2.3")).isEqualTo(5);
        assertThat(cost(t, "10.2.0.1")).as("only through BGP").isEqualTo(BestPath.NextHopCost.UNREACHABLE);
        assertThat(cost(t, "10.3.0.1")).as("blackhole").isEqualTo(BestPath.NextHopCost.UNREACHABLE);
        assertThat(cost(t, "10.4.0.1")).as("other table").isEqualTo(BestPath.NextHopCost.UNREACHABLE);
        assertThat(cost(t, "192.0.2.1")).as("default does not resolve").isEqualTo(BestPath.NextHopCost.UNREACHABLE);
        assertThat(cost(t, "fd00::1")).isEqualTo(BestPath.NextHopCost.UNREACHABLE);
    }

    @Test
    void eventsMoveReachabilityBothWays() {
        t.reset(List.of());
        Route r = Route.to("fd00:1::/64").via("fd00::9");
        assertThat(cost(t, "fd00:1::5")).isEqualTo(BestPath.NextHopCost.UNREACHABLE);
        assertThat(t.apply(false, r)).isTrue();
        assertThat(cost(t, "fd00:1::5")).isZero();
        assertThat(t.apply(false, r)).as("the same route again changes nothing").isFalse();
        assertThat(t.apply(false, Route.to("fd00:2::/64").via("fd00::9").protocol(new RouteProtocol(250))))
                .as("our own routes are not relevant").isFalse();
        assertThat(t.apply(true, r)).isTrue();
        assertThat(cost(t, "fd00:1::5")).isEqualTo(BestPath.NextHopCost.UNREACHABLE);
    }

    /** A pod's /32 appearing on a node must not re-run the RIB: no path's next hop depends on it. */
    @Test
    void onlyChangesToResolvedNextHopsAskForAReselect() {
        t.reset(List.of(Route.to("10.1.0.0/16").via("10.0.0.1").metric(20)));
        assertThat(cost(t, "10.1.2.3")).isEqualTo(20);
        assertThat(t.apply(false, Route.to("10.244.1.7/32").dev(3))).as("a route no resolved next hop uses").isFalse();
        assertThat(cost(t, "10.244.1.7")).as("but it is in the table").isZero();
        assertThat(t.apply(false, Route.to("10.1.2.0/24").via("10.0.0.2").metric(5))).as("a longer match for 10.1.2.3").isTrue();
        assertThat(cost(t, "10.1.2.3")).isEqualTo(5);
        assertThat(t.apply(false, Route.to("10.1.3.0/24").via("10.0.0.2").metric(7))).as("covers nothing resolved").isFalse();
    }

    @Test
    void coversComparesPartialBytes() {
        assertThat(NextHopTable.covers(Addresses.parse("10.0.0.128"), 25, Addresses.parse("10.0.0.200"))).isTrue();
        assertThat(NextHopTable.covers(Addresses.parse("10.0.0.128"), 25, Addresses.parse("10.0.0.100"))).isFalse();
    }
}
