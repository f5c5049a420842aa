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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A conflist chain as a runtime runs it (libcni's order): tabby, then Debian's {@code portmap}
 * with tabby's result as {@code prevResult}; CHECK of ours with the chained result; DEL in reverse order. portmap
 * runs inside the lab node namespace, so its iptables rules land there.
 */
@NetnsTest
class ChainingIT {
    static final String NET = "k8s-pod-network";

    static ExecResult portmap(Netns node, String cmd, Netns pod, String conf) {
        List<String> argv = new ArrayList<>(List.of("env", "CNI_COMMAND=" + cmd, "CNI_CONTAINERID=chain1",
                "CNI_NETNS=" + pod.path(), "CNI_IFNAME=eth0", "CNI_PATH=/usr/lib/cni", "/usr/lib/cni/portmap"));
        return node.execWithInput(conf, argv.toArray(String[]::new));
    }

    @Test
    void tabby_then_portmap_add_check_del(Lab lab) throws Exception {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        Netns pod = lab.netns("pod");
        Path socket = lab.dir().resolve("cni.sock");
        MemoryStore store = new MemoryStore(List.of(new IpPool("default", IpNet.parse("10.244.0.0/16"), 26, "all()", false, true)),
                IpamConfig.DEFAULT);
        try (NetNs host = Kernel.openLabNamespace(node.netns());
             CniServer server = CniServer.start(socket, new Skel(new TabbyPlugin(new Ipam(store), new NetlinkDataplane(host),
                     PodDirectory.NONE, "n1", Map.of(), Clock.systemUTC())))) {
            Map<String, String> env = CniExecutableIT.env("ADD", "chain1", pod, "web");
            String tabbyConf = "{\"cniVersion\":\"1.0.0\",\"name\":\"" + NET + "\",\"type\":\"tabby\"}";
            CniExecutableIT.Run add = CniExecutableIT.exec(socket, env, tabbyConf);
            assertThat(add.exit()).as(add.toString()).isZero();
            String podIp = add.json().path("ips").get(0).path("address").asText();
            podIp = podIp.substring(0, podIp.indexOf('/'));

            ObjectNode pm = (ObjectNode) Json.MAPPER.readTree("{\"cniVersion\":\"1.0.0\",\"name\":\"" + NET + "\",\"type\":\"portmap\","
                    + "\"snat\":true,\"capabilities\":{\"portMappings\":true},"
                    + "\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":18080,\"containerPort\":80,\"protocol\":\"tcp\"}]}}");
            pm.set("prevResult", add.json());
            ExecResult pmAdd = portmap(node.netns(), "ADD", pod, pm.toString());
            assertThat(pmAdd.ok()).as(pmAdd.toString()).isTrue();
            JsonNode chained = Json.parseObject(pmAdd.stdout().getBytes(StandardCharsets.UTF_8), "portmap result");
            assertThat(chained.path("ips")).as("portmap passes our result through").isEqualTo(add.json().path("ips"));
            String nat = node.netns().run("iptables", "-t", "nat", "-S");
            assertThat(nat).contains("--to-destination " + podIp + ":80");

            // CHECK of our plugin with the chain's final result. Debian's portmap CHECK is not run: it looks
            // for its rules in ip6tables even for an IPv4-only pod and fails (containernetworking/plugins#819).
            Map<String, String> check = CniExecutableIT.env("CHECK", "chain1", pod, "web");
            String tabbyCheck = tabbyConf.substring(0, tabbyConf.length() - 1) + ",\"prevResult\":" + chained + "}";
            assertThat(CniExecutableIT.exec(socket, check, tabbyCheck).exit()).isZero();
            pm.set("prevResult", chained);

            // DEL in reverse order.
            ExecResult pmDel = portmap(node.netns(), "DEL", pod, pm.toString());
            assertThat(pmDel.ok()).as(pmDel.toString()).isTrue();
            assertThat(node.netns().run("iptables", "-t", "nat", "-S")).doesNotContain(podIp + ":80");
            CniExecutableIT.Run del = CniExecutableIT.exec(socket, CniExecutableIT.env("DEL", "chain1", pod, "web"), tabbyCheck);
            assertThat(del.exit()).as(del.toString()).isZero();
            assertThat(Kernel.link(pod, "eth0")).isEmpty();
            assertThat(store.blocks()).allSatisfy(v -> assertThat(v.value().allocations()).isEmpty());
        }
    }
}
