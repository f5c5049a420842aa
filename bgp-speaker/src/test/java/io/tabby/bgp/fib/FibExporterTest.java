package io.tabby.bgp.fib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Attrs;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FibExporterTest {
    static final int OURS = 250;
    static final int MAIN = KernelRoute.TABLE_MAIN;
    final FakeKernelRoutes kernel = new FakeKernelRoutes();
    final FibExporter fib = new FibExporter(kernel, OURS, MAIN);
    final Rib rib = new Rib(Speaker.of(64512, Addresses.parse4("10.99.0.11")), Set.of(Family.IPV4_UNICAST),
            BestPath.Options.DEFAULT.withMaxPaths(8), new MetricRegistry());
    final Peer n2 = Attrs.ibgp("10.99.0.12", "10.99.0.12");
    final Peer n3 = Attrs.ibgp("10.99.0.13", "10.99.0.13");

    FibExporterTest() {
        rib.addListener(fib::onChange);
        for (Peer p : List.of(n2, n3)) {
            rib.addNeighbour(Neighbour.of(p, Addresses.parse("10.99.0.11"), PeerPolicies.allowAll()));
        }
    }

    static Prefix p(String s) {
        return Prefix.parse(s);
    }

    static InetAddress ip(String s) {
        return Addresses.parse(s);
    }

    void announce(Peer from, String nh, String... prefixes) {
        AttrSet a = Attrs.of().lp(100).nh(nh).set();
        rib.receive(from.address(), new Update(List.of(), a.toWire(Family.IPV4_UNICAST, List.of()),
                java.util.Arrays.stream(prefixes).map(Prefix::parse).toList()), false);
    }

    KernelRoute route(String prefix) {
        return kernel.routes.get(new FakeKernelRoutes.Key(MAIN, p(prefix)));
    }

    @Test
    void firstApplySweepsOnlyOurStaleRoutesAndInstallsBestPaths() {
        kernel.add(new KernelRoute(p("10.244.9.0/26"), List.of(ip("10.99.0.19")), KernelRoute.Type.UNICAST, OURS, MAIN));
        kernel.add(new KernelRoute(p("10.244.2.0/26"), List.of(ip("10.99.0.99")), KernelRoute.Type.UNICAST, OURS, MAIN));
        kernel.add(new KernelRoute(p("10.244.1.0/26"), List.of(), KernelRoute.Type.BLACKHOLE, 3, MAIN));
        kernel.add(new KernelRoute(p("0.0.0.0/0"), List.of(ip("10.99.0.1")), KernelRoute.Type.UNICAST, 3, MAIN));
        announce(n2, "10.99.0.12", "10.244.2.0/26");
        announce(n3, "10.99.0.13", "10.244.3.0/26");
        FibExporter.Applied a = fib.apply();
        assertThat(a.fullSync()).isTrue();
        assertThat(route("10.244.9.0/26")).as("ours, no longer wanted: swept").isNull();
        assertThat(route("10.244.2.0/26").gateways()).as("ours, wrong gateway: fixed").containsExactly(ip("10.99.0.12"));
        assertThat(route("10.244.3.0/26").gateways()).containsExactly(ip("10.99.0.13"));
        assertThat(route("10.244.1.0/26")).as("not ours: untouched").isNotNull();
        assertThat(route("0.0.0.0/0")).isNotNull();
        assertThat(a).isEqualTo(new FibExporter.Applied(2, 1, 0, true));
        assertThat(fib.apply()).as("nothing to do").isEqualTo(new FibExporter.Applied(0, 0, 0, false));
    }

    @Test
    void withdrawDeletesAndEcmpBecomesMultipath() {
        announce(n2, "10.99.0.12", "10.96.0.0/12");
        fib.apply();
        announce(n3, "10.99.0.13", "10.96.0.0/12");
        fib.apply();
        assertThat(route("10.96.0.0/12").gateways()).containsExactly(ip("10.99.0.12"), ip("10.99.0.13"));
        rib.receive(n2.address(), new Update(List.of(p("10.96.0.0/12")), List.of(), List.of()), false);
        fib.apply();
        assertThat(route("10.96.0.0/12").gateways()).containsExactly(ip("10.99.0.13"));
        rib.sessionDown(n3.address());
        assertThat(fib.apply().deleted()).isEqualTo(1);
        assertThat(kernel.routes).isEmpty();
    }

    @Test
    void ownOriginatedRoutesAreNotInstalled() {
        rib.originate(p("10.244.1.0/26"), ExportRules.originate(0, List.of()));
        fib.apply();
        assertThat(kernel.routes).isEmpty();
    }

    @Test
    void failuresStayDirtyAndAreRetried() {
        kernel.failOn = p("10.244.2.0/26");
        announce(n2, "10.99.0.12", "10.244.2.0/26", "10.244.4.0/26");
        assertThat(fib.apply().failed()).isEqualTo(1);
        assertThat(route("10.244.4.0/26")).isNotNull();
        kernel.failOn = null;
        assertThat(fib.apply().replaced()).isEqualTo(1);
        assertThat(route("10.244.2.0/26")).isNotNull();
    }

    @Test
    void resyncRepairsRoutesChangedBehindOurBack() {
        announce(n2, "10.99.0.12", "10.244.2.0/26");
        fib.apply();
        kernel.routes.clear(); // someone ran "ip route flush proto 250"
        assertThat(fib.apply().replaced()).as("incremental apply trusts its cache").isZero();
        fib.resync();
        assertThat(fib.apply().replaced()).isEqualTo(1);
    }

    @Test
    void refusesReservedProtocols() {
        assertThatThrownBy(() -> new FibExporter(kernel, 3, MAIN)).hasMessageContaining("reserved");
    }

    @Test
    void redistributesBlackholeBlocksWithinThePool() {
        kernel.add(new KernelRoute(p("10.244.1.0/26"), List.of(), KernelRoute.Type.BLACKHOLE, 3, MAIN));
        kernel.add(new KernelRoute(p("10.244.1.64/26"), List.of(), KernelRoute.Type.BLACKHOLE, 3, MAIN));
        kernel.add(new KernelRoute(p("192.0.2.0/24"), List.of(), KernelRoute.Type.BLACKHOLE, 3, MAIN));
        kernel.add(new KernelRoute(p("10.244.5.0/26"), List.of(), KernelRoute.Type.BLACKHOLE, OURS, MAIN));
        kernel.add(new KernelRoute(p("10.244.6.0/26"), List.of(ip("10.99.0.1")), KernelRoute.Type.UNICAST, 3, MAIN));
        var r = new Redistributor(kernel, MAIN, OURS, Redistributor.Filter.blackholesWithin("10.244.0.0/16 le 32"),
                prefix -> ExportRules.originate(0, List.of()));
        assertThat(r.sync(rib)).isEqualTo(2);
        assertThat(rib.locRib(Family.IPV4_UNICAST).size()).isEqualTo(2);
        assertThat(rib.locRib(Family.IPV4_UNICAST).decision(p("10.244.1.0/26")).best().source().kind())
                .isEqualTo(Peer.Kind.LOCAL);
        kernel.routes.remove(new FakeKernelRoutes.Key(MAIN, p("10.244.1.64/26")));
        assertThat(r.sync(rib)).isEqualTo(1);
        assertThat(rib.locRib(Family.IPV4_UNICAST).decision(p("10.244.1.64/26")).best()).isNull();
    }
}
