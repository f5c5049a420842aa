package io.tabby.bgp.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.ExportRules.NextHopMode;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpCodec;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.DecodeResult;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Several RIBs wired to each other through the real wire codec (encode, decode), without
 * sockets: Calico's node mesh and a route-reflector topology converge to the expected tables.
 * The namespace tests with BIRD and FRR are the other half (see docs/bgp-rib.md for what remains).
 */
class MeshSimulationTest {
    static final Set<Family> V4 = Set.of(Family.IPV4_UNICAST);

    /** One node: a RIB and its neighbours' addresses. */
    record Node(String name, InetAddress address, Rib rib) {}

    final Map<InetAddress, Node> nodes = new LinkedHashMap<>();
    int messages;

    Node node(String name, String address) {
        Rib rib = new Rib(new Speaker(64512, Addresses.parse4(address), Addresses.parse4(address), true), V4,
                BestPath.Options.DEFAULT.withMaxPaths(4), new MetricRegistry());
        Node n = new Node(name, Addresses.parse(address), rib);
        nodes.put(n.address(), n);
        return n;
    }

    /** An iBGP session between a and b; {@code aIsClientOfB} makes a an RR client of b. */
    void session(Node a, Node b, boolean aIsClientOfB, NextHopMode nh) {
        Peer bAtA = new Peer(b.address(), Addresses.parse4(b.address().getHostAddress()), 64512, Peer.Kind.IBGP, false);
        Peer aAtB = new Peer(a.address(), Addresses.parse4(a.address().getHostAddress()), 64512, Peer.Kind.IBGP, aIsClientOfB);
        a.rib().addNeighbour(Neighbour.of(bAtA, a.address(), PeerPolicies.allowAll()).withNextHop(nh));
        b.rib().addNeighbour(Neighbour.of(aAtB, b.address(), PeerPolicies.allowAll()).withNextHop(nh));
        a.rib().sessionUp(b.address(), V4);
        b.rib().sessionUp(a.address(), V4);
    }

    /** Delivers every pending UPDATE (encoded and decoded) until nothing moves. */
    void converge() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Node from : nodes.values()) {
                for (InetAddress to : from.rib().pendingPeers()) {
                    for (Update u : from.rib().drain(to, WireContext.FOUR_OCTET)) {
                        nodes.get(to).rib().receive(from.address(), wire(u), false);
                        messages++;
                        moved = true;
                    }
                }
            }
        }
    }

    static Update wire(Update u) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BgpCodec.encode(u, buf, WireContext.FOUR_OCTET);
            return (Update) ((DecodeResult.Success) BgpCodec.decode(buf, WireContext.FOUR_OCTET)).message();
        } finally {
            buf.release();
        }
    }

    static void block(Node n, String prefix) {
        n.rib().originate(Prefix.parse(prefix), ExportRules.originate(0, List.of()));
    }

    static Map<String, List<String>> table(Node n) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        n.rib().locRib(Family.IPV4_UNICAST).forEachBest((p, d) -> {
            List<String> hops = new ArrayList<>();
            d.best().attrs().nextHops().forEach(h -> hops.add(h.getHostAddress()));
            out.put(p.toString(), d.best().source().kind() == Peer.Kind.LOCAL ? List.of("local") : hops);
        });
        return out;
    }

    @Test
    void threeNodeFullMeshLearnsEveryBlockOnceWithNextHopSelf() {
        Node n1 = node("n1", "10.99.0.11");
        Node n2 = node("n2", "10.99.0.12");
        Node n3 = node("n3", "10.99.0.13");
        session(n1, n2, false, NextHopMode.SELF);
        session(n1, n3, false, NextHopMode.SELF);
        session(n2, n3, false, NextHopMode.SELF);
        block(n1, "10.244.1.0/26");
        block(n2, "10.244.2.0/26");
        block(n3, "10.244.3.0/26");
        converge();
        assertThat(table(n1)).containsExactlyInAnyOrderEntriesOf(Map.of("10.244.1.0/26", List.of("local"),
                "10.244.2.0/26", List.of("10.99.0.12"), "10.244.3.0/26", List.of("10.99.0.13")));
        assertThat(table(n3)).containsExactlyInAnyOrderEntriesOf(Map.of("10.244.1.0/26", List.of("10.99.0.11"),
                "10.244.2.0/26", List.of("10.99.0.12"), "10.244.3.0/26", List.of("local")));
        // Each node has exactly one path per remote block: iBGP routes were not re-advertised.
        assertThat(n2.rib().locRib(Family.IPV4_UNICAST).pathCount()).isEqualTo(3);

        int before = messages;
        n2.rib().withdrawOriginated(Prefix.parse("10.244.2.0/26"));
        converge();
        assertThat(table(n1)).doesNotContainKey("10.244.2.0/26");
        assertThat(table(n3)).doesNotContainKey("10.244.2.0/26");
        assertThat(messages - before).as("one withdrawal to each of the two peers").isEqualTo(2);
    }

    @Test
    void reflectorSpreadsClientRoutesAndDropsLoops() {
        Node rr = node("rr", "10.99.0.1");
        Node c1 = node("c1", "10.99.0.11");
        Node c2 = node("c2", "10.99.0.12");
        Node c3 = node("c3", "10.99.0.13");
        for (Node c : List.of(c1, c2, c3)) {
            session(c, rr, true, NextHopMode.AUTO);
        }
        block(c1, "10.244.1.0/26");
        block(c2, "10.244.2.0/26");
        converge();
        assertThat(table(c3)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "10.244.1.0/26", List.of("10.99.0.11"), "10.244.2.0/26", List.of("10.99.0.12")));
        assertThat(table(c1)).containsEntry("10.244.2.0/26", List.of("10.99.0.12"));
        var at3 = c3.rib().locRib(Family.IPV4_UNICAST).decision(Prefix.parse("10.244.1.0/26")).best().attrs();
        assertThat(at3.originatorId()).isEqualTo(Addresses.toLong(Addresses.parse4("10.99.0.11")));
        assertThat(at3.clusterListLength()).isEqualTo(1);
        // c1's own route came back to it from the reflector? No: ORIGINATOR_ID loop check dropped it.
        assertThat(c1.rib().locRib(Family.IPV4_UNICAST).paths(Prefix.parse("10.244.1.0/26"))).hasSize(1);
        assertThat(c1.rib().peers().getFirst().rejected()).isZero(); // the reflector never sent it back (split horizon)
    }

    @Test
    void twoReflectorsInOneClusterDoNotLoop() {
        Node rr1 = node("rr1", "10.99.0.1");
        Node rr2 = node("rr2", "10.99.0.2");
        // Same cluster id on both reflectors (Calico "rr cluster id").
        Rib r1 = new Rib(new Speaker(64512, Addresses.parse4("10.99.0.1"), Addresses.parse4("1.1.1.1"), true), V4,
                BestPath.Options.DEFAULT, new MetricRegistry());
        Rib r2 = new Rib(new Speaker(64512, Addresses.parse4("10.99.0.2"), Addresses.parse4("1.1.1.1"), true), V4,
                BestPath.Options.DEFAULT, new MetricRegistry());
        nodes.put(rr1.address(), new Node("rr1", rr1.address(), r1));
        nodes.put(rr2.address(), new Node("rr2", rr2.address(), r2));
        Node c1 = node("c1", "10.99.0.11");
        Node c2 = node("c2", "10.99.0.12");
        for (Node c : List.of(c1, c2)) {
            session(c, nodes.get(rr1.address()), true, NextHopMode.AUTO);
            session(c, nodes.get(rr2.address()), true, NextHopMode.AUTO);
        }
        session(nodes.get(rr1.address()), nodes.get(rr2.address()), false, NextHopMode.AUTO);
        block(c1, "10.244.1.0/26");
        converge();
        assertThat(table(c2)).containsEntry("10.244.1.0/26", List.of("10.99.0.11"));
        assertThat(c2.rib().locRib(Family.IPV4_UNICAST).paths(Prefix.parse("10.244.1.0/26"))).as("one via each RR")
                .hasSize(2);
        // rr2 got c1's route reflected by rr1 too, but with its own cluster id in CLUSTER_LIST: rejected.
        assertThat(r2.locRib(Family.IPV4_UNICAST).paths(Prefix.parse("10.244.1.0/26"))).hasSize(1);
        assertThat(r2.peers().stream().mapToLong(LookingGlass.PeerView::rejected).sum()).isEqualTo(1);
    }
}
