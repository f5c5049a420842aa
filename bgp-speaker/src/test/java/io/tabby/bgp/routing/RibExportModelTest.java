package io.tabby.bgp.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.policy.Action;
import io.tabby.bgp.policy.Match;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Policy;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.policy.Term;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.Attrs;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The RIB keeps no table of what each peer was sent: it works out what a peer has from the old
 * best path of every change. This checks that bookkeeping against a full recomputation. Two
 * sources announce and withdraw at random over a few prefixes while an observer's export policy
 * changes, it asks for ROUTE-REFRESH, its session flaps, and what is queued for it is drained in
 * random slices and applied to a model of its table. At the end that table must be exactly
 * what a fresh session would be sent, and the advertised count its size.
 */
class RibExportModelTest {
    static final Set<Family> V4 = Set.of(Family.IPV4_UNICAST);
    static final InetAddress SELF = Addresses.parse("10.0.0.100");
    static final Peer A = Attrs.ebgp("10.0.0.1", "10.0.0.1", 65001);
    static final Peer B = Attrs.ebgp("10.0.0.3", "10.0.0.3", 65003);
    static final Peer OBSERVER = Attrs.ebgp("10.0.0.4", "10.0.0.4", 65004);
    static final List<PeerPolicies> OBSERVER_POLICIES = List.of(
            PeerPolicies.allowAll(),
            new PeerPolicies(Policy.ACCEPT_ALL, Policy.of("pods", Term.Verdict.REJECT,
                    Term.accept("pods", List.of(Match.PrefixIn.of("10.244.0.0/16 le 32"))))),
            new PeerPolicies(Policy.ACCEPT_ALL, Policy.of("med50", Term.Verdict.REJECT,
                    Term.accept("all", List.of(), new Action.SetMed(50)))));

    @Test
    void whatAPeerIsSentAddsUpToWhatAFreshSessionWouldGet() {
        List<AttrSet> fromA = List.of(Attrs.of().path(65001).med(1).nh("10.0.0.1").set(),
                Attrs.of().path(65001).med(2).nh("10.0.0.1").set());
        AttrSet fromB = Attrs.of().path(65003, 65003).nh("10.0.0.3").set();
        for (long seed = 0; seed < 30; seed++) {
            Random rnd = new Random(seed);
            Rib rib = new Rib(Speaker.of(65000, Addresses.parse4("10.0.0.100")), V4, BestPath.Options.DEFAULT,
                    new MetricRegistry());
            for (Peer p : List.of(A, B, OBSERVER)) {
                rib.addNeighbour(Neighbour.of(p, SELF, PeerPolicies.allowAll()));
                rib.sessionUp(p.address(), V4);
            }
            Map<Prefix, AttrSet> observer = new HashMap<>();
            for (int op = 0; op < 2000; op++) {
                Prefix p = rnd.nextBoolean()
                        ? Prefix.parse("10.244." + rnd.nextInt(4) + "." + 64 * rnd.nextInt(4) + "/26")
                        : Prefix.parse("192.0.2." + rnd.nextInt(16) + "/32");
                int r = rnd.nextInt(100);
                if (r < 30) {
                    rib.receive(A.address(), announce(fromA.get(rnd.nextInt(2)), p), false);
                } else if (r < 45) {
                    rib.receive(A.address(), new Update(List.of(p), List.of(), List.of()), false);
                } else if (r < 65) {
                    rib.receive(B.address(), announce(fromB, p), false);
                } else if (r < 75) {
                    rib.receive(B.address(), new Update(List.of(p), List.of(), List.of()), false);
                } else if (r < 80) {
                    rib.setPolicies(OBSERVER.address(), OBSERVER_POLICIES.get(rnd.nextInt(OBSERVER_POLICIES.size())));
                } else if (r < 83) {
                    rib.refresh(OBSERVER.address(), Family.IPV4_UNICAST);
                } else if (r < 85) {
                    rib.sessionDown(OBSERVER.address());
                    observer.clear(); // the session is gone: the peer drops what we sent
                    rib.sessionUp(OBSERVER.address(), V4);
                } else {
                    RibTest.apply(observer, rib.drain(OBSERVER.address(), WireContext.FOUR_OCTET));
                }
            }
            while (rib.pendingPeers().contains(OBSERVER.address())) {
                RibTest.apply(observer, rib.drain(OBSERVER.address(), WireContext.FOUR_OCTET));
            }
            long advertised = advertised(rib);

            rib.sessionDown(OBSERVER.address());
            rib.sessionUp(OBSERVER.address(), V4);
            Map<Prefix, AttrSet> fresh = new HashMap<>();
            RibTest.apply(fresh, rib.drain(OBSERVER.address(), WireContext.FOUR_OCTET));
            assertThat(observer).as("seed %d", seed).isEqualTo(fresh);
            assertThat(advertised).as("seed %d", seed).isEqualTo(fresh.size());
        }
    }

    static Update announce(AttrSet a, Prefix p) {
        return new Update(List.of(), a.toWire(Family.IPV4_UNICAST, List.of()), List.of(p));
    }

    static long advertised(Rib rib) {
        return rib.peers().stream().filter(v -> v.address().equals(OBSERVER.address().getHostAddress()))
                .findFirst().orElseThrow().advertised();
    }
}
