package io.tabby.bgp.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.policy.ExportRules.NextHopMode;
import io.tabby.bgp.policy.MaxPrefix;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Policy;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.policy.Term;
import io.tabby.bgp.rib.AdjRibIn;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Attrs;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Change;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The routing core end to end without sockets: UPDATEs in, UPDATEs and FIB changes out. We are 10.0.0.100, AS 65000. */
class RibTest {
    static final Set<Family> V4 = Set.of(Family.IPV4_UNICAST);
    final MetricRegistry metrics = new MetricRegistry();
    final Speaker me = Speaker.of(65000, Addresses.parse4("10.0.0.100"));
    final Rib rib = new Rib(me, Set.of(Family.IPV4_UNICAST, Family.IPV6_UNICAST), BestPath.Options.DEFAULT.withMaxPaths(4),
            metrics);
    final InetAddress self = Addresses.parse("10.0.0.100");
    final List<Change> fib = new ArrayList<>();

    RibTest() {
        rib.addListener(fib::add);
    }

    static InetAddress ip(String s) {
        return Addresses.parse(s);
    }

    Neighbour add(Peer p, PeerPolicies pol) {
        Neighbour n = Neighbour.of(p, self, pol);
        rib.addNeighbour(n);
        return n;
    }

    static Update announce(AttrSet a, String... prefixes) {
        List<Prefix> ps = java.util.Arrays.stream(prefixes).map(Prefix::parse).toList();
        return new Update(List.of(), a.toWire(Family.IPV4_UNICAST, List.of()), ps);
    }

    static Update withdraw(String... prefixes) {
        return new Update(java.util.Arrays.stream(prefixes).map(Prefix::parse).toList(), List.of(), List.of());
    }

    /** What the peer would now hold from us: prefix -> attributes, after applying every drained UPDATE. */
    static void apply(Map<Prefix, AttrSet> table, List<Update> updates) {
        for (Update u : updates) {
            u.withdrawn().forEach(table::remove);
            if (!u.nlri().isEmpty()) {
                AttrSet a = AttrSet.of(u.attributes());
                u.nlri().forEach(p -> table.put(p, a));
            }
        }
    }

    @Test
    void ebgpRouteGoesToIbgpPeersWithLocalPrefAndIbgpRoutesDoNotLoop() {
        Peer tor = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
        Peer b = Attrs.ibgp("10.0.0.2", "10.0.0.2");
        Peer c = Attrs.ibgp("10.0.0.3", "10.0.0.3");
        add(tor, PeerPolicies.allowAll());
        add(b, PeerPolicies.allowAll());
        add(c, PeerPolicies.allowAll());
        rib.sessionUp(tor.address(), V4);
        rib.sessionUp(b.address(), V4);
        rib.sessionUp(c.address(), V4);
        // Initial table is empty: just End-of-RIB.
        assertThat(rib.drain(b.address(), WireContext.FOUR_OCTET)).containsExactly(Update.endOfRib(Family.IPV4_UNICAST));

        var r = rib.receive(tor.address(), announce(Attrs.of().path(65001).nh("10.0.0.1").set(), "192.0.2.0/24"), false);
        assertThat(r.accepted()).isEqualTo(1);
        assertThat(fib).singleElement().satisfies(ch -> assertThat(ch.newBest().source()).isEqualTo(tor));
        Map<Prefix, AttrSet> atB = new HashMap<>();
        apply(atB, rib.drain(b.address(), WireContext.FOUR_OCTET));
        AttrSet sent = atB.get(Prefix.parse("192.0.2.0/24"));
        assertThat(sent.localPref()).isEqualTo(100);
        assertThat(sent.nextHops()).containsExactly(ip("10.0.0.1"));
        assertThat(rib.drain(tor.address(), WireContext.FOUR_OCTET)).as("never back to the source")
                .containsExactly(Update.endOfRib(Family.IPV4_UNICAST));

        // B's own route reaches the ToR (prepended, next hop self) but not C (no reflection).
        rib.receive(b.address(), announce(Attrs.of().lp(100).nh("10.0.0.2").set(), "10.244.2.0/26"), false);
        Map<Prefix, AttrSet> atC = new HashMap<>();
        apply(atC, rib.drain(c.address(), WireContext.FOUR_OCTET));
        assertThat(atC).containsOnlyKeys(Prefix.parse("192.0.2.0/24"));
        Map<Prefix, AttrSet> atTor = new HashMap<>();
        apply(atTor, rib.drain(tor.address(), WireContext.FOUR_OCTET));
        assertThat(atTor.get(Prefix.parse("10.244.2.0/26")).asPathString()).isEqualTo("65000");
        assertThat(atTor.get(Prefix.parse("10.244.2.0/26")).nextHops()).containsExactly(self);

        // Withdraw from the ToR reaches B and the FIB.
        rib.receive(tor.address(), withdraw("192.0.2.0/24"), false);
        apply(atB, rib.drain(b.address(), WireContext.FOUR_OCTET));
        assertThat(atB).doesNotContainKey(Prefix.parse("192.0.2.0/24"));
        assertThat(fib.getLast().withdrawn()).isTrue();
    }

    @Test
    void reflectorPassesClientRoutesToClientsAndNonClients() {
        Peer c1 = Attrs.client("10.0.0.11", "10.0.0.11");
        Peer c2 = Attrs.client("10.0.0.12", "10.0.0.12");
        Peer n = Attrs.ibgp("10.0.0.13", "10.0.0.13");
        for (Peer p : List.of(c1, c2, n)) {
            add(p, PeerPolicies.allowAll());
            rib.sessionUp(p.address(), V4);
            rib.drain(p.address(), WireContext.FOUR_OCTET);
        }
        rib.receive(c1.address(), announce(Attrs.of().lp(100).nh("10.0.0.11").set(), "10.244.11.0/26"), false);
        for (Peer p : List.of(c2, n)) {
            Map<Prefix, AttrSet> t = new HashMap<>();
            apply(t, rib.drain(p.address(), WireContext.FOUR_OCTET));
            AttrSet a = t.get(Prefix.parse("10.244.11.0/26"));
            assertThat(a.originatorId()).isEqualTo(Addresses.toLong(Addresses.parse4("10.0.0.11")));
            assertThat(a.get(PathAttribute.ClusterList.class).orElseThrow().ids()).containsExactly(me.clusterId());
            assertThat(a.nextHops()).containsExactly(ip("10.0.0.11"));
        }
        // A non-client's route goes to the clients only.
        rib.receive(n.address(), announce(Attrs.of().lp(100).nh("10.0.0.13").set(), "10.244.13.0/26"), false);
        assertThat(rib.drain(c1.address(), WireContext.FOUR_OCTET)).hasSize(1);
        assertThat(rib.pendingPeers()).containsExactly(c2.address());
    }

    @Test
    void rfc8212RejectsEbgpWithoutPolicyAndCountsIt() {
        Peer tor = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
        add(tor, PeerPolicies.forPeer(tor, Optional.empty(), Optional.empty()));
        rib.sessionUp(tor.address(), V4);
        var r = rib.receive(tor.address(), announce(Attrs.of().path(65001).set(), "192.0.2.0/24", "198.51.100.0/24"),
                false);
        assertThat(r.accepted()).isZero();
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(rib.locRib(Family.IPV4_UNICAST).size()).isZero();
        rib.originate(Prefix.parse("10.244.1.0/26"), io.tabby.bgp.policy.ExportRules.originate(0, List.of()));
        assertThat(rib.drain(tor.address(), WireContext.FOUR_OCTET)).as("nothing out either")
                .containsExactly(Update.endOfRib(Family.IPV4_UNICAST));
        var view = rib.peers().getFirst();
        assertThat(view.rejected()).isEqualTo(2);
        assertThat(view.lastEvent()).contains("rfc8212-default-deny");
        assertThat(metrics.getCounters().get("bgp.peer.10.0.0.1.prefixes.rejected").getCount()).isEqualTo(2);
    }

    @Test
    void importPolicyChangesAreReappliedFromARetainedAdjRibIn() {
        Peer tor = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
        Policy onlyPods = Policy.of("pods", Term.Verdict.REJECT,
                Term.accept("pods", List.of(io.tabby.bgp.policy.Match.PrefixIn.of("10.244.0.0/16 le 32"))));
        rib.addNeighbour(Neighbour.of(tor, self, new PeerPolicies(onlyPods, Policy.ACCEPT_ALL))
                .withRetention(AdjRibIn.Retention.ALL));
        rib.sessionUp(tor.address(), V4);
        rib.receive(tor.address(), announce(Attrs.of().path(65001).set(), "10.244.1.0/26", "192.0.2.0/24"), false);
        assertThat(rib.locRib(Family.IPV4_UNICAST).size()).isEqualTo(1);
        assertThat(rib.peers().getFirst().received()).isEqualTo(2);
        rib.setPolicies(tor.address(), PeerPolicies.allowAll());
        assertThat(rib.locRib(Family.IPV4_UNICAST).size()).isEqualTo(2);
        rib.setPolicies(tor.address(), new PeerPolicies(Policy.RFC8212_DENY, Policy.ACCEPT_ALL));
        assertThat(rib.locRib(Family.IPV4_UNICAST).size()).isZero();
        assertThat(rib.peers().getFirst().accepted()).isZero();
    }

    @Test
    void maxPrefixReportsCeaseForTheSessionLayer() {
        Peer tor = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
        rib.addNeighbour(Neighbour.of(tor, self, PeerPolicies.allowAll())
                .withMaxPrefix(new MaxPrefix(2, 50, MaxPrefix.OnExceed.CEASE, Duration.ofSeconds(60))));
        rib.sessionUp(tor.address(), V4);
        AttrSet a = Attrs.of().path(65001).set();
        assertThat(rib.receive(tor.address(), announce(a, "10.0.0.0/24"), false).limits())
                .singleElement().isInstanceOf(MaxPrefix.Outcome.Warn.class);
        assertThat(rib.receive(tor.address(), announce(a, "10.0.1.0/24"), false).limits()).isEmpty();
        assertThat(rib.receive(tor.address(), announce(a, "10.0.1.0/24"), false).limits()).as("re-announcement").isEmpty();
        var over = rib.receive(tor.address(), announce(a, "10.0.2.0/24"), false).limits();
        assertThat(over).singleElement().isInstanceOf(MaxPrefix.Outcome.Cease.class);
    }

    @Test
    void ecmpChangesReachTheListener() {
        Peer t1 = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
        Peer t2 = Attrs.ebgp("10.0.0.2", "10.0.0.2", 65001);
        add(t1, PeerPolicies.allowAll());
        add(t2, PeerPolicies.allowAll());
        rib.receive(t1.address(), announce(Attrs.of().path(65001).nh("10.0.0.1").set(), "0.0.0.0/0"), false);
        rib.receive(t2.address(), announce(Attrs.of().path(65001).nh("10.0.0.2").set(), "0.0.0.0/0"), false);
        assertThat(fib.getLast().multipath()).extracting(p -> p.source().address())
                .containsExactly(ip("10.0.0.1"), ip("10.0.0.2"));
        var view = rib.route(Prefix.parse("0.0.0.0/0"));
        assertThat(view.paths()).hasSize(2);
        assertThat(view.paths().getFirst().best()).isTrue();
        assertThat(view.paths().getFirst().reason()).isEqualTo(BestPath.Reason.ROUTER_ID);
        assertThat(view.paths().get(1).multipath()).isTrue();
        assertThat(view.paths().get(1).best()).isFalse();
    }

    @Test
    void treatAsWithdrawRemovesTheAnnouncedPrefixes() {
        Peer tor = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
        add(tor, PeerPolicies.allowAll());
        AttrSet a = Attrs.of().path(65001).set();
        rib.receive(tor.address(), announce(a, "10.0.0.0/24"), false);
        rib.receive(tor.address(), announce(a, "10.0.0.0/24"), true);
        assertThat(rib.locRib(Family.IPV4_UNICAST).size()).isZero();
    }

    /**
     * Where a change goes is worked out when a session comes up or goes down, or a family's
     * deferral starts or ends, not per route: a peer that went down must be offered nothing until
     * it is back, and then it gets the whole table.
     */
    @Test
    void aPeerThatWentDownIsOfferedNothingUntilItIsBackAndThenEverything() {
        upWithAllowAll(tor, b);
        rib.drain(b.address(), WireContext.FOUR_OCTET);
        AttrSet a = Attrs.of().path(65001).nh("10.0.0.1").set();
        rib.receive(tor.address(), announce(a, "192.0.2.0/24"), false);
        assertThat(advertisedTo(b)).isEqualTo(1);

        rib.sessionDown(b.address());
        rib.receive(tor.address(), announce(a, "198.51.100.0/24"), false);
        assertThat(advertisedTo(b)).as("nothing offered to a peer that is down").isZero();
        rib.receive(tor.address(), withdraw("192.0.2.0/24"), false);
        assertThat(rib.pendingPeers()).doesNotContain(b.address());

        rib.sessionUp(b.address(), V4);
        Map<Prefix, AttrSet> atB = new HashMap<>();
        apply(atB, rib.drain(b.address(), WireContext.FOUR_OCTET));
        assertThat(atB).containsOnlyKeys(Prefix.parse("198.51.100.0/24"));
        rib.receive(tor.address(), announce(a, "203.0.113.0/24"), false);
        apply(atB, rib.drain(b.address(), WireContext.FOUR_OCTET));
        assertThat(atB).containsOnlyKeys(Prefix.parse("198.51.100.0/24"), Prefix.parse("203.0.113.0/24"));
        assertThat(advertisedTo(b)).isEqualTo(2);
    }

    /**
     * No Adj-RIB-Out table is kept, so a new export policy is sent as the difference between the
     * old policy's export and the new one's, per best path: nothing resent that did not change.
     */
    @Test
    void anExportPolicyChangeSendsOnlyTheDifference() {
        Policy onlyPods = Policy.of("pods", Term.Verdict.REJECT,
                Term.accept("pods", List.of(io.tabby.bgp.policy.Match.PrefixIn.of("10.244.0.0/16 le 32"))));
        Policy med50 = Policy.of("med50", Term.Verdict.REJECT,
                Term.accept("all", List.of(), new io.tabby.bgp.policy.Action.SetMed(50)));
        Peer c = Attrs.ebgp("10.0.0.3", "10.0.0.3", 65003);
        upWithAllowAll(tor);
        rib.addNeighbour(Neighbour.of(c, self, new PeerPolicies(Policy.ACCEPT_ALL, onlyPods)));
        rib.sessionUp(c.address(), V4);
        rib.receive(tor.address(), announce(Attrs.of().path(65001).nh("10.0.0.1").set(), "10.244.1.0/26",
                "192.0.2.0/24"), false);
        Map<Prefix, AttrSet> atC = new HashMap<>();
        apply(atC, rib.drain(c.address(), WireContext.FOUR_OCTET));
        assertThat(atC).containsOnlyKeys(Prefix.parse("10.244.1.0/26"));
        assertThat(advertisedTo(c)).isEqualTo(1);

        rib.setPolicies(c.address(), new PeerPolicies(Policy.ACCEPT_ALL, Policy.ACCEPT_ALL));
        List<Update> out = rib.drain(c.address(), WireContext.FOUR_OCTET);
        assertThat(out).as("only the newly exported prefix").singleElement()
                .satisfies(u -> assertThat(u.nlri()).containsExactly(Prefix.parse("192.0.2.0/24")));
        apply(atC, out);
        assertThat(advertisedTo(c)).isEqualTo(2);

        rib.setPolicies(c.address(), new PeerPolicies(Policy.ACCEPT_ALL, med50));
        apply(atC, rib.drain(c.address(), WireContext.FOUR_OCTET));
        assertThat(atC.values()).hasSize(2).allSatisfy(a -> assertThat(a.med()).isEqualTo(50));

        rib.setPolicies(c.address(), new PeerPolicies(Policy.ACCEPT_ALL, onlyPods));
        out = rib.drain(c.address(), WireContext.FOUR_OCTET);
        apply(atC, out);
        assertThat(atC).containsOnlyKeys(Prefix.parse("10.244.1.0/26"));
        assertThat(atC.get(Prefix.parse("10.244.1.0/26")).med()).as("MED no longer set").isNotEqualTo(50);
        assertThat(advertisedTo(c)).isEqualTo(1);

        rib.receive(tor.address(), withdraw("192.0.2.0/24"), false);
        assertThat(rib.drain(c.address(), WireContext.FOUR_OCTET)).as("c never had it under this policy").isEmpty();
    }

    /** RFC 2918: ROUTE-REFRESH queues everything exported again, and keeps what is still queued. */
    @Test
    void routeRefreshResendsEverythingExported() {
        upWithAllowAll(tor, b);
        rib.drain(b.address(), WireContext.FOUR_OCTET);
        AttrSet a = Attrs.of().path(65001).nh("10.0.0.1").set();
        rib.receive(tor.address(), announce(a, "192.0.2.0/24", "198.51.100.0/24"), false);
        Map<Prefix, AttrSet> atB = new HashMap<>();
        apply(atB, rib.drain(b.address(), WireContext.FOUR_OCTET));

        rib.refresh(b.address(), Family.IPV4_UNICAST);
        List<Update> again = rib.drain(b.address(), WireContext.FOUR_OCTET);
        assertThat(again.stream().flatMap(u -> u.nlri().stream()))
                .containsExactlyInAnyOrder(Prefix.parse("192.0.2.0/24"), Prefix.parse("198.51.100.0/24"));
        assertThat(advertisedTo(b)).isEqualTo(2);

        rib.receive(tor.address(), withdraw("192.0.2.0/24"), false);
        rib.refresh(b.address(), Family.IPV4_UNICAST);
        apply(atB, rib.drain(b.address(), WireContext.FOUR_OCTET));
        assertThat(atB).containsOnlyKeys(Prefix.parse("198.51.100.0/24"));
        assertThat(advertisedTo(b)).isEqualTo(1);
    }

    /** RFC 4724 4.1: while a family's selection is deferred its changes reach neither peers nor the FIB. */
    @Test
    void deferredSelectionHoldsChangesBackUntilReleased() {
        upWithAllowAll(tor, b);
        rib.deferSelection(Family.IPV4_UNICAST);
        rib.receive(tor.address(), announce(Attrs.of().path(65001).nh("10.0.0.1").set(), "192.0.2.0/24"), false);
        assertThat(fib).isEmpty();
        assertThat(rib.drain(b.address(), WireContext.FOUR_OCTET)).as("no routes and no End-of-RIB yet").isEmpty();

        rib.releaseSelection(Family.IPV4_UNICAST);
        assertThat(fib).singleElement().satisfies(ch -> assertThat(ch.prefix()).isEqualTo(Prefix.parse("192.0.2.0/24")));
        Map<Prefix, AttrSet> atB = new HashMap<>();
        List<Update> out = rib.drain(b.address(), WireContext.FOUR_OCTET);
        apply(atB, out);
        assertThat(atB).containsOnlyKeys(Prefix.parse("192.0.2.0/24"));
        assertThat(out.getLast()).isEqualTo(Update.endOfRib(Family.IPV4_UNICAST));
    }

    final Peer tor = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
    final Peer b = Attrs.ibgp("10.0.0.2", "10.0.0.2");

    void upWithAllowAll(Peer... ps) {
        for (Peer p : ps) {
            add(p, PeerPolicies.allowAll());
            rib.sessionUp(p.address(), V4);
        }
    }

    long advertisedTo(Peer p) {
        return rib.peers().stream().filter(v -> v.address().equals(p.address().getHostAddress())).findFirst()
                .orElseThrow().advertised();
    }

    @Test
    void ipv6TravelsInMpReach() {
        Peer b = Attrs.ibgp("2001:db8::2", "10.0.0.2");
        Peer c = Attrs.client("2001:db8::3", "10.0.0.3");
        add(b, PeerPolicies.allowAll());
        add(c, PeerPolicies.allowAll());
        rib.sessionUp(c.address(), Set.of(Family.IPV6_UNICAST));
        rib.drain(c.address(), WireContext.FOUR_OCTET);
        AttrSet a = Attrs.of().lp(100).nh("2001:db8::2").set();
        Prefix p = Prefix.parse("2001:db8:2::/48");
        rib.receive(b.address(), new Update(List.of(), a.toWire(Family.IPV6_UNICAST, List.of(p)), List.of()), false);
        List<Update> out = rib.drain(c.address(), WireContext.FOUR_OCTET);
        assertThat(out).singleElement().satisfies(u ->
                assertThat(u.attribute(PathAttribute.MpReach.class).orElseThrow().nlri()).containsExactly(p));
        rib.receive(b.address(), new Update(List.of(), List.of(new PathAttribute.MpUnreach(Family.IPV6_UNICAST,
                List.of(p))), List.of()), false);
        assertThat(rib.drain(c.address(), WireContext.FOUR_OCTET)).singleElement().satisfies(u ->
                assertThat(u.attribute(PathAttribute.MpUnreach.class).orElseThrow().withdrawn()).containsExactly(p));
    }
}
