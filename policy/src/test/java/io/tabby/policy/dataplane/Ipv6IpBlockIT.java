package io.tabby.policy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.netlink.nft.NftContext;
import io.tabby.policy.compile.Compiler;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.ContainerPort;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.Namespace;
import io.tabby.policy.model.NetworkPolicy;
import io.tabby.policy.model.Peer;
import io.tabby.policy.model.PolicyType;
import io.tabby.policy.model.PortMatch;
import io.tabby.policy.model.Protocol;
import io.tabby.policy.model.Rule;
import io.tabby.policy.render.iptables.IptablesRenderer;
import io.tabby.policy.render.nft.NftDiff;
import io.tabby.policy.render.nft.NftRenderer;
import io.tabby.policy.selector.LabelSelector;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import io.tabby.testkit.Node;
import io.tabby.testkit.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * IPv6 ipBlocks enforced on a real dataplane, nftables and iptables alike: one node with three
 * Calico-style pods that also carry an IPv6 address (a /128 on eth0, a /128 route to it on the
 * host veth, a shared gateway address on every host veth, as the link-local gateway of Calico's
 * IPv6 mode). The server allows TCP 80 from {@code fd00:10::/64 except fd00:10::4/128}: the
 * client at ::3 gets in over IPv6, the one at ::4 does not, and neither gets in over IPv4,
 * which nothing allows. Then the except moves to ::3, applied incrementally (an nft diff; for
 * iptables a new set and the one policy chain rewritten), and the two clients swap.
 */
@NetnsTest
class Ipv6IpBlockIT {
    private static final String GW6 = "fd00:ffff::1";

    @Test
    void anIpv6IpBlockAndItsExceptAreEnforcedByBothBackends(Lab lab) {
        Node n1 = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        n1.netns().sysctl("net.ipv6.conf.all.forwarding", "1");
        Pod server = dualStackPod(n1, "srv", "10.244.1.2", "fd00:10::2");
        Pod allowed = dualStackPod(n1, "ok", "10.244.1.3", "fd00:10::3");
        Pod excepted = dualStackPod(n1, "no", "10.244.1.4", "fd00:10::4");
        server.netns().spawn(lab.dir().resolve("srv.log"), "socat", "TCP6-LISTEN:80,fork,reuseaddr,ipv6only=0", "SYSTEM:echo ok");
        Eventually.await("server listening", Duration.ofSeconds(10),
                () -> server.netns().exec("ss", "-Hltn").stdout().contains(":80"), () -> server.netns().exec("ss", "-Hltn").stdout());
        // The IPv6 plumbing works before any rule: both clients get in over both families.
        Eventually.await("IPv6 pod to pod", Duration.ofSeconds(10), () -> connects(allowed, "fd00:10::2") && connects(excepted, "fd00:10::2"),
                () -> allowed.netns().exec("ip", "-6", "route").stdout());
        assertThat(connects(allowed, "10.244.1.2")).isTrue();

        Ruleset rs = Compiler.compile(cluster(server, allowed, excepted, "fd00:10::4/128"), "n1");
        // The except moves to the other client: an incremental update of the IPv6 interval set.
        Ruleset swapped = Compiler.compile(cluster(server, allowed, excepted, "fd00:10::3/128"), "n1");
        assertThat(rs.errors()).isEmpty();
        Netns node = n1.netns();

        try (NftContext nft = NftContext.inNamed(node.name())) {
            nft.run(NftRenderer.defaults().render(rs));
            assertEnforced(node, allowed, excepted, "nftables");
            nft.run(new NftDiff(NftRenderer.defaults()).diff(rs, swapped));
            assertEnforced(node, excepted, allowed, "nftables, incremental");
            nft.run("delete table inet tabby\n");
        }

        IptablesRenderer ipt = IptablesRenderer.defaults();
        node.execWithInput(ipt.ipsetRestore(rs), "ipset", "restore").orThrow();
        node.execWithInput(ipt.iptablesRestore(rs, null), "iptables-restore", "--noflush").orThrow();
        node.execWithInput(ipt.ip6tablesRestore(rs, null), "ip6tables-restore", "--noflush").orThrow();
        for (String tool : List.of("iptables", "ip6tables")) {
            List<String> argv = new ArrayList<>(List.of(tool, "-I"));
            argv.addAll(ipt.hookRule());
            node.run(argv.toArray(String[]::new));
        }
        assertEnforced(node, allowed, excepted, "iptables");
        // Incremental: the block's set is named by its text, so a new inet6 set, the policy's chain
        // rewritten to use it (and nothing else), then the old set destroyed.
        node.execWithInput(ipt.ipsetUpdate(swapped, rs), "ipset", "restore").orThrow();
        String v6Update = ipt.ip6tablesRestore(swapped, rs);
        assertThat(v6Update.lines().filter(l -> l.startsWith(":"))).containsExactly(":" + IptablesRenderer.chainName("pi.x.srv-from-v6-block") + " - [0:0]");
        node.execWithInput(ipt.iptablesRestore(swapped, rs), "iptables-restore", "--noflush").orThrow();
        node.execWithInput(v6Update, "ip6tables-restore", "--noflush").orThrow();
        node.execWithInput(ipt.ipsetCleanup(swapped, rs), "ipset", "restore").orThrow();
        assertEnforced(node, excepted, allowed, "iptables, incremental");
    }

    private static void assertEnforced(Netns node, Pod in, Pod out, String backend) {
        node.exec("conntrack", "-F");
        assertThat(connects(in, "fd00:10::2")).as("%s: %s is in the block", backend, in.netns().name()).isTrue();
        assertThat(connects(out, "fd00:10::2")).as("%s: %s is the except", backend, out.netns().name()).isFalse();
        assertThat(connects(in, "10.244.1.2")).as("%s: nothing allows IPv4", backend).isFalse();
    }

    private static boolean connects(Pod from, String to) {
        return from.netns().exec("nc", "-z", "-w", "1", to, "80").ok();
    }

    private static Cluster cluster(Pod server, Pod allowed, Pod excepted, String except) {
        List<ContainerPort> http = List.of(new ContainerPort("http", 80, Protocol.TCP));
        List<Endpoint> eps = List.of(
                new Endpoint("x", "srv", Map.of("app", "srv"), server.ip(), http, "n1", server.hostVeth()),
                new Endpoint("x", "ok", Map.of("app", "client"), allowed.ip(), List.of(), "n1", allowed.hostVeth()),
                new Endpoint("x", "no", Map.of("app", "client"), excepted.ip(), List.of(), "n1", excepted.hostVeth()));
        Peer block = new Peer.IpBlock(Cidr.parse("fd00:10::/64"), List.of(Cidr.parse(except)));
        NetworkPolicy p = NetworkPolicy.defaulted("x", "srv-from-v6-block", LabelSelector.ofLabels(Map.of("app", "srv")),
                List.of(PolicyType.Ingress), List.of(new Rule(List.of(PortMatch.port(Protocol.TCP, 80)), List.of(block))), List.of());
        return Cluster.of(List.of(new Namespace("x", Map.of(Namespace.NAME_LABEL, "x"))), eps, List.of(p));
    }

    /** A test-kit pod plus an IPv6 address, routed through the node like its IPv4 one. */
    private static Pod dualStackPod(Node node, String role, String v4, String v6) {
        Pod p = node.pod(role, v4);
        p.netns().ip("-6", "addr", "add", v6 + "/128", "dev", "eth0", "nodad");
        node.netns().ip("-6", "addr", "add", GW6 + "/128", "dev", p.hostVeth(), "nodad");
        p.netns().ip("-6", "route", "add", GW6, "dev", "eth0");
        p.netns().ip("-6", "route", "add", "default", "via", GW6, "dev", "eth0");
        node.netns().ip("-6", "route", "add", v6 + "/128", "dev", p.hostVeth());
        return p;
    }
}
