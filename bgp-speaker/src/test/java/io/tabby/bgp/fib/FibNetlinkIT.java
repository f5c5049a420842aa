package io.tabby.bgp.fib;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The FIB exporter against a real kernel table, in a lab namespace: ECMP as a multipath route,
 * withdraw, the start-of-day sweep of our stale routes (and only ours), and redistribution of an
 * IPAM blackhole block. The netlink socket is opened inside the lab namespace, never the root one.
 */
@NetnsTest
class FibNetlinkIT {
    static final int OURS = 250;

    static NetNs openInside(Netns lab) throws Exception {
        NetNs ns = NetNs.open(lab.path());
        long root = inode("/proc/1/ns/net");
        if (ns.inode() == NetNs.currentInode() || ns.inode() == inode("/proc/self/ns/net") || ns.inode() == root) {
            ns.close();
            throw new IllegalStateException("refusing to program routes in " + lab + ": it is the root/own namespace");
        }
        return ns;
    }

    static long inode(String link) {
        try {
            String s = Files.readSymbolicLink(Path.of(link)).toString();
            return Long.parseLong(s.substring(s.indexOf('[') + 1, s.indexOf(']')));
        } catch (Exception e) {
            return -1;
        }
    }

    static void announce(Rib rib, Peer from, String nh, String... prefixes) {
        AttrSet a = Attrs.of().lp(100).nh(nh).set();
        rib.receive(from.address(), new Update(List.of(), a.toWire(Family.IPV4_UNICAST, List.of()),
                java.util.Arrays.stream(prefixes).map(Prefix::parse).toList()), false);
    }

    @Test
    void installsEcmpWithdrawsSweepsOnlyOursAndRedistributesBlackholes(Lab lab) throws Exception {
        Netns node = lab.netns("node");
        Netns peers = lab.netns("peers");
        lab.link(node, "10.99.0.11/24", peers, "10.99.0.12/24");
        peers.ip("addr", "add", "10.99.0.13/24", "dev", "eth0");
        // Left over from a previous run of ours, an IPAM block, and somebody else's route.
        node.ip("route", "add", "10.244.9.0/26", "via", "10.99.0.12", "proto", "250");
        node.ip("route", "add", "blackhole", "10.244.1.0/26");
        node.ip("route", "add", "10.50.0.0/16", "via", "10.99.0.13", "proto", "static");

        Rib rib = new Rib(Speaker.of(64512, Addresses.parse4("10.99.0.11")), Set.of(Family.IPV4_UNICAST),
                BestPath.Options.DEFAULT.withMaxPaths(4), new MetricRegistry());
        Peer n2 = Attrs.ibgp("10.99.0.12", "10.99.0.12");
        Peer n3 = Attrs.ibgp("10.99.0.13", "10.99.0.13");
        for (Peer p : List.of(n2, n3)) {
            rib.addNeighbour(Neighbour.of(p, Addresses.parse("10.99.0.11"), PeerPolicies.allowAll()));
        }
        try (NetNs ns = openInside(node); NetlinkHandle h = NetlinkHandle.open(ns)) {
            KernelRoutes kernel = new NetlinkKernelRoutes(h);
            FibExporter fib = new FibExporter(kernel, OURS, KernelRoute.TABLE_MAIN);
            rib.addListener(fib::onChange);
            announce(rib, n2, "10.99.0.12", "10.96.0.0/12", "10.244.2.0/26");
            announce(rib, n3, "10.99.0.13", "10.96.0.0/12");
            FibExporter.Applied a = fib.apply();
            assertThat(a).isEqualTo(new FibExporter.Applied(2, 1, 0, true));

            String ours = node.ip("route", "show", "proto", "250");
            assertThat(ours).contains("10.244.2.0/26 via 10.99.0.12 dev eth0")
                    .contains("nexthop via 10.99.0.12 dev eth0").contains("nexthop via 10.99.0.13 dev eth0")
                    .doesNotContain("10.244.9.0");
            assertThat(node.ip("route", "show", "10.96.0.0/12")).as("one ECMP route").startsWith("10.96.0.0/12 proto 250");
            assertThat(node.ip("route", "show")).contains("blackhole 10.244.1.0/26").contains("10.50.0.0/16 via 10.99.0.13");

            rib.receive(n2.address(), new Update(List.of(Prefix.parse("10.96.0.0/12"), Prefix.parse("10.244.2.0/26")),
                    List.of(), List.of()), false);
            assertThat(fib.apply()).isEqualTo(new FibExporter.Applied(1, 1, 0, false));
            assertThat(node.ip("route", "show", "proto", "250").strip()).isEqualTo("10.96.0.0/12 via 10.99.0.13 dev eth0");

            var redis = new Redistributor(kernel, KernelRoute.TABLE_MAIN, OURS,
                    Redistributor.Filter.blackholesWithin("10.244.0.0/16 le 32"), p -> ExportRules.originate(0, List.of()));
            assertThat(redis.sync(rib)).isEqualTo(1);
            assertThat(rib.locRib(Family.IPV4_UNICAST).decision(Prefix.parse("10.244.1.0/26")).best().source().kind())
                    .isEqualTo(Peer.Kind.LOCAL);
            fib.apply();
            assertThat(node.ip("route", "show", "10.244.1.0/26").strip()).as("our own block is not installed over it")
                    .isEqualTo("blackhole 10.244.1.0/26");

            rib.sessionDown(n3.address());
            fib.apply();
            assertThat(node.ip("route", "show", "proto", "250")).isBlank();
            assertThat(node.ip("route", "show")).contains("10.50.0.0/16 via 10.99.0.13");
        }
    }
}
