package io.tabby.cni.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabby.cni.handler.Kernel;
import io.tabby.cni.handler.NetlinkDataplane;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.MemoryStore;
import io.tabby.cni.skel.Skel;
import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Json;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.ExecResult;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import io.tabby.testkit.Netns;
import io.tabby.testkit.Node;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Conflist chains as a runtime runs them (libcni's order): tabby first, then Debian's
 * {@code portmap} and {@code bandwidth} (containernetworking-plugins 1.1.1), each given the
 * previous plugin's result as {@code prevResult}; CHECK of ours with the chained result; DEL in
 * reverse order. The Debian plugins run inside the lab node namespace, so their iptables rules, tc
 * qdiscs and ifb devices land there.
 */
@NetnsTest
class ChainingIT {
    static final String NET = "k8s-pod-network";
    static final String TABBY_CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"" + NET + "\",\"type\":\"tabby\"}";

    /** One Debian plugin call from the node namespace; {@code conf} carries the prevResult. */
    static ExecResult plugin(String type, Netns node, String cmd, String container, Netns pod, ObjectNode conf) {
        return node.execWithInput(conf.toString(), "env", "CNI_COMMAND=" + cmd, "CNI_CONTAINERID=" + container,
                "CNI_NETNS=" + pod.path(), "CNI_IFNAME=eth0", "CNI_PATH=/usr/lib/cni", "/usr/lib/cni/" + type);
    }

    static JsonNode chainedAdd(String type, Netns node, String container, Netns pod, ObjectNode conf, JsonNode prev) {
        conf.set("prevResult", prev);
        ExecResult r = plugin(type, node, "ADD", container, pod, conf);
        assertThat(r.ok()).as(type + " ADD: " + r).isTrue();
        JsonNode out = Json.parseObject(r.stdout().getBytes(StandardCharsets.UTF_8), type + " result");
        assertThat(out.path("ips")).as(type + " passes our result through").isEqualTo(prev.path("ips"));
        return out;
    }

    static ObjectNode conf(String type, String capability, String runtimeConfig) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("{\"cniVersion\":\"1.0.0\",\"name\":\"" + NET + "\",\"type\":\"" + type + "\","
                + "\"capabilities\":{\"" + capability + "\":true},\"runtimeConfig\":{\"" + capability + "\":" + runtimeConfig + "}}");
    }

    static ObjectNode portmapConf() throws Exception {
        ObjectNode c = conf("portmap", "portMappings", "[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp\"}]");
        c.put("snat", true);
        return c;
    }

    /** A lab node running the service (in-memory IPAM, netlink dataplane on the node) and one pod sandbox. */
    record Chain(Node node, Netns pod, Path socket, MemoryStore store, NetNs host, CniServer server) implements AutoCloseable {
        static Chain start(Lab lab) {
            Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
            Path socket = lab.dir().resolve("cni.sock");
            MemoryStore store = new MemoryStore(List.of(new IpPool("default", IpNet.parse("10.244.0.0/16"), 26, "all()", false, true)),
                    IpamConfig.DEFAULT);
            NetNs host = Kernel.openLabNamespace(node.netns());
            try {
                CniServer server = CniServer.start(socket, new Skel(new TabbyPlugin(new Ipam(store), new NetlinkDataplane(host),
                        PodDirectory.NONE, "n1", Map.of(), Clock.systemUTC())));
                return new Chain(node, lab.netns("pod"), socket, store, host, server);
            } catch (RuntimeException e) {
                host.close();
                throw e;
            }
        }

        /** One call of our plugin, which must succeed. */
        CniExecutableIT.Run tabby(String cmd, String container, String conf) throws Exception {
            CniExecutableIT.Run r = CniExecutableIT.exec(socket, CniExecutableIT.env(cmd, container, pod, "web"), conf);
            assertThat(r.exit()).as(cmd + ": " + r).isZero();
            return r;
        }

        @Override
        public void close() {
            server.close();
            host.close();
        }
    }

    static String podIp(JsonNode result) {
        String a = result.path("ips").get(0).path("address").asText();
        return a.substring(0, a.indexOf('/'));
    }

    @Test
    void tabby_then_portmap_add_check_del(Lab lab) throws Exception {
        try (Chain c = Chain.start(lab)) {
            CniExecutableIT.Run add = c.tabby("ADD", "chain1", TABBY_CONF);
            String podIp = podIp(add.json());
            Node node = c.node();
            Netns pod = c.pod();

            ObjectNode pm = portmapConf();
            JsonNode chained = chainedAdd("portmap", node.netns(), "chain1", pod, pm, add.json());
            assertThat(node.netns().run("iptables", "-t", "nat", "-S")).contains("--to-destination " + podIp + ":80");

            // CHECK of our plugin with the chain's final result. Debian's portmap CHECK is not run: it looks
            // for its rules in ip6tables even for an IPv4-only pod and fails (containernetworking/plugins#819).
            String tabbyCheck = withPrev(chained);
            c.tabby("CHECK", "chain1", tabbyCheck);
            pm.set("prevResult", chained);

            // DEL in reverse order.
            ExecResult pmDel = plugin("portmap", node.netns(), "DEL", "chain1", pod, pm);
            assertThat(pmDel.ok()).as(pmDel.toString()).isTrue();
            assertThat(node.netns().run("iptables", "-t", "nat", "-S")).doesNotContain(podIp + ":80");
            c.tabby("DEL", "chain1", tabbyCheck);
            assertThat(Kernel.link(pod, "eth0")).isEmpty();
            assertThat(c.store().blocks()).allSatisfy(v -> assertThat(v.value().allocations()).isEmpty());
        }
    }

    /**
     * tabby, portmap, bandwidth: bandwidth finds our host veth in the result (the pod interface's
     * veth peer among the interfaces without a sandbox) and shapes it: a tbf root qdisc on the host
     * veth for the pod's ingress, and for its egress an ifb device fed by a mirred redirect from
     * the veth's ingress qdisc, with its own tbf. DEL removes the ifb; the veth's qdiscs go with it.
     */
    @Test
    void tabby_then_portmap_then_bandwidth_shapes_the_host_veth(Lab lab) throws Exception {
        try (Chain c = Chain.start(lab)) {
            Node node = c.node();
            Netns pod = c.pod();
            CniExecutableIT.Run add = c.tabby("ADD", "chain2", TABBY_CONF);
            String hostIf = add.json().path("interfaces").get(0).path("name").asText();
            assertThat(hostIf).startsWith("cali");

            ObjectNode pm = portmapConf();
            JsonNode afterPortmap = chainedAdd("portmap", node.netns(), "chain2", pod, pm, add.json());
            // Rates in bit/s, bursts in bits (the plugin's units); 1 Mbit/s is 125000 bytes/s.
            ObjectNode bw = conf("bandwidth", "bandwidth",
                    "{\"ingressRate\":1000000,\"ingressBurst\":800000,\"egressRate\":2000000,\"egressBurst\":800000}");
            JsonNode afterBandwidth = chainedAdd("bandwidth", node.netns(), "chain2", pod, bw, afterPortmap);

            List<JsonNode> vethQdiscs = qdiscs(node.netns(), hostIf);
            JsonNode tbf = vethQdiscs.stream().filter(q -> q.path("kind").asText().equals("tbf")).findFirst().orElseThrow(
                    () -> new AssertionError("no tbf qdisc on " + hostIf + ": " + vethQdiscs));
            assertThat(tbf.path("options").path("rate").asLong()).as("pod ingress rate, bytes/s").isEqualTo(125_000);
            assertThat(vethQdiscs).as("ingress qdisc for the egress redirect").anyMatch(q -> q.path("kind").asText().equals("ingress"));
            String filters = node.netns().run("tc", "filter", "show", "dev", hostIf, "parent", "ffff:");
            String ifb = ifbOf(filters);
            assertThat(Kernel.link(node.netns(), ifb)).as("ifb device " + ifb).isPresent();
            assertThat(qdiscs(node.netns(), ifb)).as("pod egress shaping on " + ifb).anyMatch(q -> q.path("kind").asText().equals("tbf")
                    && q.path("options").path("rate").asLong() == 250_000);
            String tabbyCheck = withPrev(afterBandwidth);
            c.tabby("CHECK", "chain2", tabbyCheck);

            // DEL in reverse order: bandwidth, portmap, tabby.
            bw.set("prevResult", afterBandwidth);
            ExecResult bwDel = plugin("bandwidth", node.netns(), "DEL", "chain2", pod, bw);
            assertThat(bwDel.ok()).as(bwDel.toString()).isTrue();
            assertThat(Kernel.link(node.netns(), ifb)).as("ifb removed by bandwidth DEL").isEmpty();
            pm.set("prevResult", afterBandwidth);
            assertThat(plugin("portmap", node.netns(), "DEL", "chain2", pod, pm).ok()).isTrue();
            c.tabby("DEL", "chain2", tabbyCheck);
            assertThat(Kernel.link(node.netns(), hostIf)).as("host veth and its qdiscs gone").isEmpty();
            assertThat(node.netns().run("ip", "-o", "link", "show")).doesNotContain("bwp").doesNotContain("cali");
            assertThat(c.store().blocks()).allSatisfy(v -> assertThat(v.value().allocations()).isEmpty());
        }
    }

    static String withPrev(JsonNode prev) {
        return TABBY_CONF.substring(0, TABBY_CONF.length() - 1) + ",\"prevResult\":" + prev + "}";
    }

    static List<JsonNode> qdiscs(Netns ns, String dev) {
        List<JsonNode> out = new java.util.ArrayList<>();
        Kernel.json(ns.run("tc", "-j", "qdisc", "show", "dev", dev)).forEach(out::add);
        return out;
    }

    /** The ifb device named by the mirred redirect in {@code tc filter show} output. */
    static String ifbOf(String filters) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("to device (\\S+)\\)").matcher(filters);
        assertThat(m.find()).as("mirred redirect to an ifb in:\n" + filters).isTrue();
        return m.group(1);
    }
}
