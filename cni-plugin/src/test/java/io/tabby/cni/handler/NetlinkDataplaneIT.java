package io.tabby.cni.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import io.tabby.testkit.Netns;
import io.tabby.testkit.Node;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The handler in real namespaces: a lab node (its netlink handle opened inside the node's
 * namespace, never the runner's) and empty pod sandboxes. Every step is verified with iproute2.
 */
@NetnsTest
class NetlinkDataplaneIT {
    static Dataplane.Spec spec(Netns pod, String host, int mtu, String... addrs) {
        return new Dataplane.Spec("c-" + pod.name().hashCode(), pod.path().toString(), "eth0", host,
                java.util.Arrays.stream(addrs).map(IpNet::parse).toList(), mtu);
    }

    @Test
    void add_check_del_and_ping_between_two_pods(Lab lab) {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        Netns pa = lab.netns("pa");
        Netns pb = lab.netns("pb");
        String hostA = VethNames.host("prod", "a", "x");
        String hostB = VethNames.host("prod", "b", "y");
        try (NetNs host = Kernel.openLabNamespace(node.netns())) {
            NetlinkDataplane dp = new NetlinkDataplane(host);
            Dataplane.Spec a = spec(pa, hostA, 0, "10.244.1.2/32");
            Dataplane.Attachment att = dp.add(a);
            assertThat(att.host().name()).isEqualTo(hostA).hasSize(15);
            assertThat(att.host().mac()).isEqualTo("ee:ee:ee:ee:ee:ee");
            assertThat(att.pod().sandbox()).isEqualTo(pa.path().toString());

            // Node side, as the kernel has it.
            JsonNode cali = Kernel.link(node.netns(), hostA).orElseThrow();
            assertThat(cali.path("address").asText()).isEqualTo("ee:ee:ee:ee:ee:ee");
            assertThat(cali.path("flags").toString()).contains("UP");
            assertThat(cali.path("mtu").asInt()).as("MTU from the node's default-route interface").isEqualTo(1500);
            assertThat(cali.path("linkinfo").path("info_kind").asText()).isEqualTo("veth");
            assertThat(Kernel.addresses(node.netns(), hostA)).noneMatch(s -> s.startsWith("10."));
            List<JsonNode> hostRoutes = Kernel.routes(node.netns(), false, "10.244.1.2/32");
            assertThat(hostRoutes).hasSize(1);
            assertThat(hostRoutes.getFirst().path("dev").asText()).isEqualTo(hostA);
            assertThat(hostRoutes.getFirst().path("scope").asText()).isEqualTo("link");
            assertThat(hostRoutes.getFirst().path("protocol").asText()).isEqualTo("98");
            assertThat(Kernel.sysctl(node.netns(), "net.ipv4.conf." + hostA + ".proxy_arp")).isEqualTo("1");
            assertThat(Kernel.sysctl(node.netns(), "net.ipv4.neigh." + hostA + ".proxy_delay")).isEqualTo("0");
            assertThat(Kernel.sysctl(node.netns(), "net.ipv4.conf." + hostA + ".forwarding")).isEqualTo("1");

            // Pod side.
            assertThat(Kernel.addresses(pa, "eth0")).filteredOn(s -> !s.startsWith("fe80:")).containsExactly("10.244.1.2/32");
            List<JsonNode> podRoutes = Kernel.routes(pa, false);
            assertThat(podRoutes).anySatisfy(r -> {
                assertThat(r.path("dst").asText()).isEqualTo("default");
                assertThat(r.path("gateway").asText()).isEqualTo("169.254.1.1");
                assertThat(r.path("dev").asText()).isEqualTo("eth0");
            });
            assertThat(podRoutes).anySatisfy(r -> {
                assertThat(r.path("dst").asText()).isEqualTo("169.254.1.1");
                assertThat(r.path("scope").asText()).isEqualTo("link");
            });

            dp.add(spec(pb, hostB, 0, "10.244.1.3/32"));
            assertThat(pa.ping("10.244.1.3", Duration.ofSeconds(3))).as("pod a pings pod b through the node").isTrue();
            assertThat(pb.ping("10.99.0.11", Duration.ofSeconds(3))).as("pod b pings its node").isTrue();

            dp.check(a);
            pa.ip("route", "del", "default");
            assertThatThrownBy(() -> dp.check(a)).isInstanceOfSatisfying(CniError.class, e -> {
                assertThat(e.code()).isEqualTo(CniError.CHECK_FAILED);
                assertThat(e.details()).contains("default route via 169.254.1.1 missing");
            });
            // A repeated ADD repairs what is missing and gives the same interfaces.
            Dataplane.Attachment again = dp.add(a);
            assertThat(again.host().name()).isEqualTo(att.host().name());
            dp.check(a);
            int ifindex = Kernel.link(node.netns(), hostA).orElseThrow().path("ifindex").asInt();
            dp.add(a);
            assertThat(Kernel.link(node.netns(), hostA).orElseThrow().path("ifindex").asInt())
                    .as("an intact attachment is left alone").isEqualTo(ifindex);

            dp.del(pa.path().toString(), "eth0");
            assertThat(Kernel.link(pa, "eth0")).isEmpty();
            assertThat(Kernel.link(node.netns(), hostA)).isEmpty();
            assertThat(Kernel.routes(node.netns(), false, "10.244.1.2/32")).isEmpty();
            dp.del(pa.path().toString(), "eth0");
            dp.del("/run/netns/tabbyt-never-existed", "eth0");
            dp.del("", "eth0");
        }
    }

    @Test
    void stale_veth_of_the_same_pod_is_replaced_and_mtu_comes_from_config(Lab lab) {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        Netns old = lab.netns("old");
        Netns fresh = lab.netns("fresh");
        String host = VethNames.host("prod", "web-0", "x");
        node.netns().ip("link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", old.name());
        try (NetNs h = Kernel.openLabNamespace(node.netns())) {
            NetlinkDataplane dp = new NetlinkDataplane(h);
            Dataplane.Spec s = spec(fresh, host, 1400, "10.244.1.9/32");
            dp.add(s);
            assertThat(Kernel.link(old, "eth0")).as("the stale sandbox's end went with its peer").isEmpty();
            assertThat(Kernel.link(fresh, "eth0").orElseThrow().path("mtu").asInt()).isEqualTo(1400);
            assertThat(Kernel.link(node.netns(), host).orElseThrow().path("mtu").asInt()).isEqualTo(1400);
            dp.check(s);
            // DEL after the sandbox is gone: the namespace's deletion took the pair; DEL still succeeds.
            String path = fresh.path().toString();
            Kernel.deleteNamespace(fresh);
            dp.del(path, "eth0");
            // The kernel tears a deleted namespace down asynchronously (cleanup_net), veth pair included.
            io.tabby.testkit.Eventually.await("host veth gone with its namespace", Duration.ofSeconds(20),
                    () -> Kernel.link(node.netns(), host).isEmpty());
        }
    }

    @Test
    void dual_stack_pod_gets_v6_default_via_the_host_link_local(Lab lab) {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        node.netns().sysctl("net.ipv6.conf.all.forwarding", "1");
        Netns pa = lab.netns("pa");
        Netns pb = lab.netns("pb");
        try (NetNs h = Kernel.openLabNamespace(node.netns())) {
            NetlinkDataplane dp = new NetlinkDataplane(h);
            Dataplane.Spec a = spec(pa, VethNames.host("ns", "a", ""), 0, "10.244.1.2/32", "fd00:10:244::2/128");
            Dataplane.Spec b = spec(pb, VethNames.host("ns", "b", ""), 0, "10.244.1.3/32", "fd00:10:244::3/128");
            Dataplane.Attachment att = dp.add(a);
            dp.add(b);
            assertThat(att.podRoutes()).extracting(r -> r.dst().toString()).containsExactly("0.0.0.0/0", "::/0");
            assertThat(Kernel.addresses(pa, "eth0")).contains("fd00:10:244::2/128");
            assertThat(Kernel.routes(pa, true)).anySatisfy(r -> {
                assertThat(r.path("dst").asText()).isEqualTo("default");
                assertThat(r.path("gateway").asText()).isEqualTo("fe80::ecee:eeff:feee:eeee");
            });
            assertThat(Kernel.routes(node.netns(), true, "fd00:10:244::2/128")).singleElement()
                    .satisfies(r -> assertThat(r.path("dev").asText()).isEqualTo(a.hostIfname()));
            assertThat(Kernel.sysctl(node.netns(), "net.ipv6.conf." + a.hostIfname() + ".proxy_ndp")).isEqualTo("1");
            dp.check(a);
            io.tabby.testkit.Eventually.await("v6 ping a->b", Duration.ofSeconds(10),
                    () -> pa.ping("fd00:10:244::3", Duration.ofSeconds(1)), () -> pa.exec("ip", "-6", "neigh").toString());
        }
    }

    /**
     * Blackhole routes for the node's blocks against the kernel: added with protocol 98, the diff
     * applied on each call (a released block's route removed, a kept one untouched), a blackhole
     * that is not ours left alone, and a pod's /32 still preferred over its block's blackhole.
     */
    @Test
    void block_blackholes_follow_the_blocks_the_node_holds(Lab lab) {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        node.netns().sysctl("net.ipv6.conf.all.forwarding", "1");
        node.netns().ip("route", "add", "blackhole", "10.250.0.0/24");
        Netns pa = lab.netns("pa");
        try (NetNs h = Kernel.openLabNamespace(node.netns())) {
            NetlinkDataplane dp = new NetlinkDataplane(h);
            dp.blockRoutes(java.util.Set.of(IpNet.parse("10.244.1.0/26"), IpNet.parse("10.244.2.64/26"), IpNet.parse("fd00:10:244::/122")));
            assertThat(blackholes(node.netns(), false)).containsExactlyInAnyOrder("10.244.1.0/26", "10.244.2.64/26");
            assertThat(blackholes(node.netns(), true)).containsExactly("fd00:10:244::/122");

            dp.add(spec(pa, VethNames.host("ns", "a", ""), 0, "10.244.1.2/32"));
            assertThat(node.netns().ip("route", "get", "10.244.1.2")).as("the pod's /32 wins").contains("dev " + VethNames.host("ns", "a", ""));
            assertThat(node.netns().exec("ip", "route", "get", "10.244.1.3").toString()).as("an unallocated address is dropped")
                    .containsAnyOf("blackhole", "Invalid argument", "No route to host");

            dp.blockRoutes(java.util.Set.of(IpNet.parse("10.244.1.0/26")));
            assertThat(blackholes(node.netns(), false)).containsExactly("10.244.1.0/26");
            assertThat(blackholes(node.netns(), true)).isEmpty();
            dp.blockRoutes(java.util.Set.of());
            assertThat(blackholes(node.netns(), false)).isEmpty();
            assertThat(node.netns().ip("route", "show", "type", "blackhole")).as("not ours: kept").contains("10.250.0.0/24");
        }
    }

    /** STATUS's kernel half: ready, then 51 once forwarding is off in the node namespace (per family). */
    @Test
    void status_reports_forwarding_off_as_limited_connectivity(Lab lab) {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        node.netns().sysctl("net.ipv6.conf.all.forwarding", "0");
        try (NetNs h = Kernel.openLabNamespace(node.netns())) {
            NetlinkDataplane dp = new NetlinkDataplane(h);
            dp.status(false);
            assertThatThrownBy(() -> dp.status(true)).isInstanceOfSatisfying(CniError.class, e -> {
                assertThat(e.code()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY);
                assertThat(e.details()).contains("net.ipv6.conf.all.forwarding");
            });
            node.netns().sysctl("net.ipv4.ip_forward", "0");
            assertThatThrownBy(() -> dp.status(false)).isInstanceOfSatisfying(CniError.class, e -> {
                assertThat(e.code()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY);
                assertThat(e.details()).contains("net.ipv4.ip_forward");
            });
        }
    }

    /** Destinations of {@code ip route show proto 98 type blackhole}. */
    static List<String> blackholes(Netns ns, boolean v6) {
        return Kernel.routes(ns, v6, "proto", "98", "type", "blackhole").stream().map(r -> r.path("dst").asText()).toList();
    }
}
