package io.tabby.policy.bench;

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
import io.tabby.policy.selector.LabelSelector;
import io.tabby.policy.selector.Requirement;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deterministic large cluster for benchmarks: {@code namespaces x podsPerNamespace} pods spread
 * over {@code nodes} nodes (two per namespace per node with 50 pods and 25 nodes), and ten policies per namespace of the shapes real
 * clusters have (default deny, pod and namespace selectors alone and ANDed, NotIn, named ports,
 * port ranges, ipBlocks with excepts, egress). With 100 x 50 pods on 25 nodes and 100
 * namespaces, that is 5,000 pods, 200 per node, and 1,000 policies.
 */
public final class SyntheticCluster {
    private SyntheticCluster() {}

    public static Cluster generate(int namespaces, int podsPerNamespace, int nodes) {
        List<Namespace> nss = new ArrayList<>();
        List<Endpoint> eps = new ArrayList<>();
        List<NetworkPolicy> ps = new ArrayList<>();
        BigInteger base = Cidr.parse("10.128.0.0/16").base();
        List<ContainerPort> ports = List.of(new ContainerPort("http", 8080, Protocol.TCP),
                new ContainerPort("metrics", 9090, Protocol.TCP), new ContainerPort("dns", 53, Protocol.UDP));
        int n = 0;
        for (int i = 0; i < namespaces; i++) {
            String ns = "ns-" + i;
            nss.add(new Namespace(ns, Map.of("team", "t" + (i % 10), "env", i % 2 == 0 ? "prod" : "dev")));
            for (int j = 0; j < podsPerNamespace; j++, n++) {
                String ip = new Cidr.Address(false, base.add(BigInteger.valueOf(n + 2))).toString();
                eps.add(new Endpoint(ns, "p-" + j,
                        Map.of("app", "a" + (j % 10), "tier", List.of("web", "api", "db").get(j % 3), "version", "v" + (j % 2)),
                        ip, ports, "node-" + ((i + j) % nodes), null));
            }
            ps.addAll(policies(ns, i));
        }
        return Cluster.of(nss, eps, ps);
    }

    static List<NetworkPolicy> policies(String ns, int i) {
        List<NetworkPolicy> out = new ArrayList<>();
        LabelSelector all = LabelSelector.EVERYTHING;
        out.add(NetworkPolicy.defaulted(ns, "default-deny", all, List.of(PolicyType.Ingress), List.of(), List.of()));
        for (int k = 1; k < 10; k++) {
            // Every node hosts pods of both versions in every namespace, so every policy applies
            // to some local endpoint: the node really compiles all 1,000.
            LabelSelector target = new LabelSelector(Map.of("version", "v" + (k % 2)),
                    List.of(Requirement.of("app", Requirement.Operator.NotIn, "a" + k)));
            Rule rule = switch (k % 5) {
                case 0 -> new Rule(List.of(PortMatch.port(Protocol.TCP, 8080 + k)),
                        List.of(new Peer.Pods(Optional.empty(), LabelSelector.ofLabels(Map.of("tier", "web")))));
                case 1 -> new Rule(List.of(PortMatch.named(Protocol.TCP, "http")),
                        List.of(new Peer.Pods(Optional.of(LabelSelector.ofLabels(Map.of("team", "t" + ((i + k) % 10)))),
                                LabelSelector.ofLabels(Map.of("app", "a" + ((k + 1) % 10))))));
                case 2 -> new Rule(List.of(new PortMatch(Protocol.TCP, new PortMatch.Range(9000 + k, 9100 + k)),
                        PortMatch.named(Protocol.UDP, "dns")),
                        List.of(new Peer.IpBlock(Cidr.parse("192.168." + k + ".0/24"), List.of(Cidr.parse("192.168." + k + ".128/25")))));
                case 3 -> new Rule(List.of(PortMatch.named(Protocol.TCP, "metrics")),
                        List.of(new Peer.Pods(Optional.of(new LabelSelector(Map.of(), List.of(
                                Requirement.of("env", Requirement.Operator.In, "prod")))),
                                new LabelSelector(Map.of(), List.of(Requirement.of("tier", Requirement.Operator.NotIn, "db"))))));
                default -> new Rule(List.of(PortMatch.all(Protocol.UDP)),
                        List.of(new Peer.Pods(Optional.empty(), LabelSelector.ofLabels(Map.of("version", "v" + (k % 2))))));
            };
            if (k == 7) {
                out.add(NetworkPolicy.defaulted(ns, "egress-" + k, target, List.of(PolicyType.Egress), List.of(),
                        List.of(rule, new Rule(List.of(PortMatch.port(Protocol.TCP, 443)),
                                List.of(new Peer.IpBlock(Cidr.parse("10.0.0.0/8"), List.of(Cidr.parse("10.128.0.0/16"))))))));
            } else {
                out.add(NetworkPolicy.defaulted(ns, "allow-" + k, target, List.of(), List.of(rule), List.of()));
            }
        }
        return out;
    }

    /**
     * The same cluster with one policy's port changed: the "one policy change" of the benchmark.
     * ns-3/allow-5 selects version v1 pods other than a5; ns-3's pod p-47 (v1, a7) is on node-0.
     */
    public static Cluster withOneChange(Cluster c) {
        NetworkPolicy p = c.policies().stream().filter(x -> x.key().equals("ns-3/allow-5")).findFirst().orElseThrow();
        NetworkPolicy changed = new NetworkPolicy(p.namespace(), p.name(), p.podSelector(), p.policyTypes(),
                List.of(new Rule(List.of(PortMatch.port(Protocol.TCP, 8443)), p.ingress().getFirst().peers())), p.egress());
        return c.withPolicy(changed);
    }
}
