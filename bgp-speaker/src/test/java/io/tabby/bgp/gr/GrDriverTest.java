package io.tabby.bgp.gr;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Attrs;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Change;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Graceful restart against the real RIB, in virtual time. */
class GrDriverTest {
    static final Family V4 = Family.IPV4_UNICAST;
    final VirtualScheduler clock = new VirtualScheduler();
    final Rib rib = new Rib(Speaker.of(65000, Addresses.parse4("10.0.0.100")), Set.of(V4), BestPath.Options.DEFAULT,
            new MetricRegistry());
    final Peer restarter = Attrs.ibgp("10.0.0.1", "10.0.0.1");
    final Peer watcher = Attrs.client("10.0.0.2", "10.0.0.2");
    final List<Change> fib = new ArrayList<>();
    final List<Family> released = new ArrayList<>();

    GrDriverTest() {
        for (Peer p : List.of(restarter, watcher)) {
            rib.addNeighbour(Neighbour.of(p, Addresses.parse("10.0.0.100"), PeerPolicies.allowAll()));
        }
        rib.addListener(fib::add);
    }

    static Update announce(AttrSet a, String... ps) {
        return new Update(List.of(), a.toWire(V4, List.of()), java.util.Arrays.stream(ps).map(Prefix::parse).toList());
    }

    @Test
    void helperKeepsRoutesStaleAcrossARestartAndSweepsAtEndOfRib() {
        var grCap = GrHelperTest.cap(120, true, V4);
        GrDriver d = new GrDriver(rib, new GrHelper(Duration.ofSeconds(360)), null, clock, released::add);
        d.start();
        d.sessionUp(restarter.address(), Set.of(V4), grCap);
        d.sessionUp(watcher.address(), Set.of(V4), Optional.empty());
        AttrSet a = Attrs.of().lp(100).nh("10.0.0.1").set();
        rib.receive(restarter.address(), announce(a, "10.244.1.0/26", "10.244.9.0/26"), false);
        rib.drain(watcher.address(), WireContext.FOUR_OCTET);

        d.sessionDown(restarter.address(), grCap); // kill -9: TCP reset, GR negotiated
        assertThat(rib.locRib(V4).size()).as("routes kept").isEqualTo(2);
        assertThat(rib.locRib(V4).paths(Prefix.parse("10.244.1.0/26")).getFirst().stale()).isTrue();
        assertThat(rib.drain(watcher.address(), WireContext.FOUR_OCTET)).as("no withdrawal to others").isEmpty();
        assertThat(fib).noneMatch(Change::withdrawn);

        clock.advance(Duration.ofSeconds(60));
        d.sessionUp(restarter.address(), Set.of(V4), grCap);
        rib.receive(restarter.address(), announce(a, "10.244.1.0/26"), false); // 10.244.9.0/26 is gone now
        assertThat(rib.locRib(V4).paths(Prefix.parse("10.244.1.0/26")).getFirst().stale()).isFalse();
        d.endOfRib(restarter.address(), V4);
        assertThat(rib.locRib(V4).size()).isEqualTo(1);
        assertThat(fib.getLast().prefix()).isEqualTo(Prefix.parse("10.244.9.0/26"));
        assertThat(fib.getLast().withdrawn()).isTrue();
        assertThat(rib.drain(watcher.address(), WireContext.FOUR_OCTET)).singleElement()
                .satisfies(u -> assertThat(u.withdrawn()).containsExactly(Prefix.parse("10.244.9.0/26")));
        clock.advance(Duration.ofHours(1));
        assertThat(rib.locRib(V4).size()).as("late timers do nothing").isEqualTo(1);
    }

    @Test
    void helperSweepsWhenThePeerNeverComesBack() {
        var grCap = GrHelperTest.cap(120, true, V4);
        GrDriver d = new GrDriver(rib, new GrHelper(Duration.ofSeconds(360)), null, clock, released::add);
        d.sessionUp(restarter.address(), Set.of(V4), grCap);
        rib.receive(restarter.address(), announce(Attrs.of().lp(100).set(), "10.244.1.0/26"), false);
        d.sessionDown(restarter.address(), grCap);
        clock.advance(Duration.ofSeconds(119));
        assertThat(rib.locRib(V4).size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(rib.locRib(V4).size()).isZero();
    }

    @Test
    void restartingSpeakerDefersAdvertisementAndFibUntilEndOfRib() {
        var restarting = new GrRestarting(Set.of(V4), Set.of(restarter.address(), watcher.address()),
                Duration.ofSeconds(360));
        GrDriver d = new GrDriver(rib, new GrHelper(Duration.ofSeconds(360)), restarting, clock, released::add);
        d.start();
        var grCap = GrHelperTest.cap(120, true, V4);
        d.sessionUp(watcher.address(), Set.of(V4), grCap);
        d.sessionUp(restarter.address(), Set.of(V4), grCap);
        rib.receive(restarter.address(), announce(Attrs.of().lp(100).nh("10.0.0.1").set(), "10.244.1.0/26"), false);
        assertThat(fib).as("FIB untouched while deferring").isEmpty();
        assertThat(rib.drain(watcher.address(), WireContext.FOUR_OCTET)).as("nothing sent, not even End-of-RIB").isEmpty();
        d.endOfRib(restarter.address(), V4);
        assertThat(released).isEmpty();
        d.endOfRib(watcher.address(), V4);
        assertThat(released).containsExactly(V4);
        assertThat(fib).hasSize(1);
        List<Update> out = rib.drain(watcher.address(), WireContext.FOUR_OCTET);
        assertThat(out).hasSize(2);
        assertThat(out.getLast()).isEqualTo(Update.endOfRib(V4));
    }

    @Test
    void deferralTimerReleasesWhenAPeerNeverSendsEndOfRib() {
        var restarting = new GrRestarting(Set.of(V4), Set.of(restarter.address(), watcher.address()),
                Duration.ofSeconds(30));
        GrDriver d = new GrDriver(rib, new GrHelper(Duration.ofSeconds(360)), restarting, clock, released::add);
        d.start();
        assertThat(rib.deferred(V4)).isTrue();
        clock.advance(Duration.ofSeconds(29));
        assertThat(released).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(released).containsExactly(V4);
        assertThat(rib.deferred(V4)).isFalse();
    }
}
