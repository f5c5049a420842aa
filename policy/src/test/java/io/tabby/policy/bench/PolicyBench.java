package io.tabby.policy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tabby.netlink.nft.NftContext;
import io.tabby.policy.compile.Compiler;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.ContainerPort;
import io.tabby.policy.model.Endpoint;
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
import io.tabby.testkit.Daemon;
import io.tabby.testkit.ExecResult;
import io.tabby.testkit.Fabric;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.Node;
import io.tabby.testkit.Pod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The policy benchmarks (run by {@code bench/policy/run.sh}; numbers go to docs/benchmarks.md):
 * <ol>
 *   <li>compile + render 1,000 policies over 5,000 pods, 200 of them local, in the JVM
 *       (warmed up), against the time {@code nft -f} takes to load the result;</li>
 *   <li>one policy change as an incremental nft transaction: diff time, and apply time through
 *       a libnftables context ({@link NftContext}) against {@code nft -f} in the same run;</li>
 *   <li>iperf3 TCP throughput pod to pod across two nodes, through the rules of those 1,000
 *       policies, with no rules at all, and with only conntrack and one forward-hook rule,
 *       alternating in the same run (one stream, client on CPU 0, server on CPU 1).</li>
 * </ol>
 * All kernel work happens in namespaces a test-kit {@link Lab} creates and deletes.
 */
public final class PolicyBench {
    private static final NftRenderer NFT = NftRenderer.defaults();
    private static final IptablesRenderer IPT = IptablesRenderer.defaults();

    private static final int ROUNDS = Integer.getInteger("tabby.iperf.rounds", 9); // IPERF_ROUNDS in bench/policy/run.sh
    private static final int SECONDS = 10;

    private PolicyBench() {}

    public static void main(String[] args) throws Exception {
        Cluster cluster = SyntheticCluster.generate(100, 50, 25);
        if (List.of(args).contains("--only-iperf")) {
            iperf(cluster);
            return;
        }
        System.out.printf("cluster: %d pods, %d policies, %d local to node-0%n", cluster.endpoints().size(),
                cluster.policies().size(), cluster.endpoints().stream().filter(e -> e.node().equals("node-0")).count());
        Ruleset rs = Compiler.compile(cluster, "node-0");
        String script = NFT.render(rs);
        System.out.printf("ruleset: %d chains, %d rules, %d address sets, %d named-port sets; nft script %d KiB%n",
                rs.chains().size(), rs.ruleCount(), rs.addressSets().size(), rs.portSets().size(), script.length() / 1024);

        // Interleaved rounds, so a burst of load from other processes hits every figure alike;
        // medians and minimums are both reported (the minimum is the uncontended cost).
        List<Supplier<?>> work = List.of(
                () -> Compiler.compile(cluster, "node-0"),
                () -> NFT.render(rs),
                () -> NFT.render(Compiler.compile(cluster, "node-0")),
                () -> IPT.iptablesRestore(rs, null) + IPT.ipsetRestore(rs));
        List<List<Double>> t = interleaved(work, 30, 40);
        System.out.printf("compile: %s, nft render: %s, compile+nft render: %s, iptables+ipset render: %s (median / min of 40, ms)%n",
                medMin(t.get(0)), medMin(t.get(1)), medMin(t.get(2)), medMin(t.get(3)));
        double both = median(t.get(2));

        Cluster changedCluster = SyntheticCluster.withOneChange(cluster);
        Ruleset changed = Compiler.compile(changedCluster, "node-0");
        NftDiff diff = new NftDiff(NFT);
        String forward = diff.diff(rs, changed);
        String back = diff.diff(changed, rs);
        if (forward.isEmpty() || back.isEmpty()) {
            throw new IllegalStateException("the benchmark's policy change does not touch node-0");
        }
        String diffMs = medMin(interleaved(List.of(() -> diff.diff(rs, Compiler.compile(changedCluster, "node-0"))), 30, 40).getFirst());
        System.out.printf("one policy change: recompile+diff %s ms; transaction %d lines:%n%s", diffMs,
                forward.lines().count(), forward.indent(4));

        try (Lab lab = Lab.open()) {
            Netns ns = lab.netns("bench");
            double noop = median(timeCmd(ns, "add table inet noop\n", 7));
            double spawn = median(timeCmd(ns, "", 7, "true"));
            List<Double> fulls = timeCmd(ns, script, 7);
            double full = median(fulls);
            double fullMin = fulls.stream().mapToDouble(d -> d).min().orElseThrow();
            try (NftContext nft = NftContext.inNamed(ns.name())) {
                List<Double> libFulls = timeLib(nft, script, 7);
                // The one-policy change both ways, through `ip netns exec NS nft -f -` (the
                // anchor) and through the libnftables context, interleaved in one loop so load
                // from other processes hits both alike: cli forward, lib back, lib forward, cli back.
                List<Double> cli = new ArrayList<>();
                List<Double> lib = new ArrayList<>();
                List<Double> cliIdle = new ArrayList<>();
                List<Double> libIdle = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    cliIdle.add(timeCmd(ns, "add table inet noop\n", 1).getFirst());
                    cli.add(timeCmd(ns, forward, 1).getFirst());
                    lib.add(timeLib(nft, back, 1).getFirst());
                    libIdle.add(timeLib(nft, "add table inet noop\n", 1).getFirst());
                    lib.add(timeLib(nft, forward, 1).getFirst());
                    cli.add(timeCmd(ns, back, 1).getFirst());
                }
                // One set element added and deleted in one transaction: what the cache fetch
                // for element commands costs at this table size (tables, chains, sets, and the
                // elements of interval sets; no rules).
                String someSet = rs.addressSets().stream().filter(x -> !x.interval()).findFirst().orElseThrow().name();
                String element = "add element inet tabby " + someSet + " { 10.200.0.1 }\n"
                        + "delete element inet tabby " + someSet + " { 10.200.0.1 }\n";
                List<Double> cliElem = new ArrayList<>();
                List<Double> libElem = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    cliElem.add(timeCmd(ns, element, 1).getFirst());
                    libElem.add(timeLib(nft, element, 1).getFirst());
                }
                // A fresh context per apply: tells the cost of a process from that of a cold library.
                List<Double> coldOpen = new ArrayList<>();
                List<Double> coldRun = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    long t0 = System.nanoTime();
                    try (NftContext fresh = NftContext.in(nft.netns())) {
                        long t1 = System.nanoTime();
                        fresh.run(i % 2 == 0 ? forward : back);
                        coldRun.add((System.nanoTime() - t1) / 1e6);
                        coldOpen.add((t1 - t0) / 1e6);
                    }
                }
                System.out.printf("nft -f, full ruleset into a namespace: %.1f ms (median of 7, min %.1f; an nft -f of one 'add table' costs %.1f ms, "
                        + "'ip netns exec NS true' %.1f ms); through libnftables: %s ms median / min%n", full, fullMin, noop, spawn, medMin(libFulls));
                System.out.printf("one-policy change, 40 applies each, interleaved:%n"
                        + "  nft -f (anchor):          %s ms median / min, %.1f max; paired no-op nft -f %s ms%n"
                        + "  libnftables context:      %s ms median / min, %.1f max; paired no-op (add table) %s ms%n"
                        + "  ratio libnftables / nft -f: %.2f (medians)%n",
                        medMin(cli), max(cli), medMin(cliIdle), medMin(lib), max(lib), medMin(libIdle), median(lib) / median(cli));
                System.out.printf("  fresh context per apply:  nft_ctx_new %s ms, then the change %s ms (median / min of 10)%n",
                        medMin(coldOpen), medMin(coldRun));
                System.out.printf("add+delete one set element: nft -f %s ms, libnftables %s ms (median / min of 20)%n", medMin(cliElem), medMin(libElem));
            }
            ns.execWithInput(IPT.ipsetRestore(rs), "ipset", "restore").orThrow();
            double iptFull = median(timeCmd(ns, IPT.iptablesRestore(rs, null), 5, "iptables-restore", "--noflush"));
            // One policy change through iptables: only the changed chain is declared and refilled.
            String iptForward = IPT.iptablesRestore(changed, rs);
            String iptBack = IPT.iptablesRestore(rs, changed);
            List<Double> iptInc = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                iptInc.addAll(timeCmd(ns, iptForward, 1, "iptables-restore", "--noflush"));
                iptInc.addAll(timeCmd(ns, iptBack, 1, "iptables-restore", "--noflush"));
            }
            System.out.printf("iptables-restore --noflush of the same ruleset: %.1f ms (median of 5); one policy change "
                    + "(%d lines, only the changed chain): %s ms median / min of 20%n", iptFull, iptForward.lines().count(), medMin(iptInc));
            System.out.printf("ratio: compile+render / nft -f load = %.2f (medians)%n", both / full);
        }
        if (!List.of(args).contains("--no-iperf")) {
            iperf(cluster);
        }
    }

    /** iperf3 between two pods on two nodes, alternating no rules / the rules of 1,000 policies / conntrack only. */
    static void iperf(Cluster base) {
        try (Lab lab = Lab.open()) {
            Fabric fabric = lab.fabric();
            Node n1 = lab.node("n1", fabric, "10.99.0.11/24", "10.99.0.1");
            Node n2 = lab.node("n2", fabric, "10.99.0.12/24", "10.99.0.1");
            n1.netns().ip("route", "add", "10.244.2.0/24", "via", "10.99.0.12");
            n2.netns().ip("route", "add", "10.244.1.0/24", "via", "10.99.0.11");
            Pod client = n1.pod("client", "10.244.1.2");
            Pod server = n2.pod("server", "10.244.2.2");
            // Both pods sit in ns-0 with labels several synthetic policies select, so they are
            // isolated both ways; the only allow is the last policy evaluated (worst case).
            Map<String, String> labels = Map.of("app", "a7", "tier", "web", "version", "v1", "bench", "iperf");
            List<ContainerPort> ports = List.of(new ContainerPort("iperf", 5201, Protocol.TCP));
            List<Endpoint> eps = new ArrayList<>(base.endpoints());
            // The lab's n1 and n2 play node-0 and node-1 of the synthetic cluster, so each loads
            // the full ruleset of its 200 synthetic endpoints plus the iperf pod.
            eps.add(new Endpoint("ns-0", "iperf-client", labels, client.ip(), ports, "node-0", client.hostVeth()));
            eps.add(new Endpoint("ns-0", "iperf-server", labels, server.ip(), ports, "node-1", server.hostVeth()));
            List<NetworkPolicy> ps = new ArrayList<>(base.policies());
            ps.add(NetworkPolicy.defaulted("ns-0", "zz-allow-iperf", LabelSelector.ofLabels(Map.of("bench", "iperf")),
                    List.of(PolicyType.Ingress, PolicyType.Egress),
                    List.of(new Rule(List.of(PortMatch.named(Protocol.TCP, "iperf")),
                            List.of(new Peer.Pods(java.util.Optional.empty(), LabelSelector.ofLabels(Map.of("bench", "iperf")))))),
                    List.of(new Rule(List.of(PortMatch.port(Protocol.TCP, 5201)), List.of()))));
            Cluster c = new Cluster(base.namespaces(), eps, ps);
            Ruleset r1 = Compiler.compile(c, "node-0");
            Ruleset r2 = Compiler.compile(c, "node-1");
            System.out.printf("iperf3: client on n1 (%d rules), server on n2 (%d rules)%n", r1.ruleCount(), r2.ruleCount());
            // Server on CPU 1, client on CPU 0 in every round, with and without rules alike.
            Daemon srv = server.netns().spawn(lab.dir().resolve("iperf3.log"), "taskset", "-c", "1", "iperf3", "-s");
            io.tabby.testkit.Eventually.await("iperf3 server listening", java.time.Duration.ofSeconds(10),
                    () -> server.netns().exec("sh", "-c", "ss -ltn | grep -q :5201").ok(), () -> srv.toString());
            // A third configuration tells the price of stateful filtering from that of our rules:
            // only conntrack and a forward hook with one rule (what every established packet
            // meets in our table too). A flowtable fast path would skip both for established
            // flows, but this kernel has no CONFIG_NF_FLOW_TABLE.
            String ctOnly = "table inet ctonly {\n  chain forward {\n    type filter hook forward priority filter; policy accept;\n"
                    + "    ct state established,related accept\n  }\n}\n";
            List<Double> none = new ArrayList<>();
            List<Double> rules = new ArrayList<>();
            List<Double> ct = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Node n : List.of(n1, n2)) {
                    n.netns().exec("nft", "delete", "table", "inet", "tabby");
                    n.netns().exec("nft", "delete", "table", "inet", "ctonly");
                }
                none.add(iperfGbps(client));
                n1.netns().execWithInput(NFT.render(r1), "nft", "-f", "-").orThrow();
                n2.netns().execWithInput(NFT.render(r2), "nft", "-f", "-").orThrow();
                rules.add(iperfGbps(client));
                for (Node n : List.of(n1, n2)) {
                    n.netns().exec("nft", "delete", "table", "inet", "tabby");
                    n.netns().execWithInput(ctOnly, "nft", "-f", "-").orThrow();
                }
                ct.add(iperfGbps(client));
            }
            double a = median(none);
            double b = median(rules);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < none.size(); i++) {
                ratios.add(100 * rules.get(i) / none.get(i));
            }
            System.out.printf("iperf3 TCP, 1 stream, %d s x %d rounds (client CPU 0, server CPU 1): no rules %s Gbit/s, with rules %s Gbit/s;%n"
                    + "  medians %.2f vs %.2f = %.1f %%; per-round ratios %s %%, median %.1f %%, min %.1f, max %.1f%n",
                    SECONDS, ROUNDS, fmt(none), fmt(rules), a, b, 100 * b / a, fmt(ratios), median(ratios),
                    ratios.stream().mapToDouble(d -> d).min().orElseThrow(), ratios.stream().mapToDouble(d -> d).max().orElseThrow());
            List<Double> ctRatios = new ArrayList<>();
            List<Double> rulesVsCt = new ArrayList<>();
            for (int i = 0; i < none.size(); i++) {
                ctRatios.add(100 * ct.get(i) / none.get(i));
                rulesVsCt.add(100 * rules.get(i) / ct.get(i));
            }
            System.out.printf("  conntrack + one-rule forward hook only: %s Gbit/s, median %.2f = %.1f %% of no rules (per-round %s %%);%n"
                    + "  our rules / conntrack only, per round: %s %%, median %.1f %%%n",
                    fmt(ct), median(ct), 100 * median(ct) / a, fmt(ctRatios), fmt(rulesVsCt), median(rulesVsCt));
        }
    }

    private static double iperfGbps(Pod client) {
        ExecResult r = client.netns().exec("taskset", "-c", "0", "iperf3", "-c", "10.244.2.2", "-t", String.valueOf(SECONDS), "-J");
        r.orThrow();
        try {
            JsonNode j = new ObjectMapper().readTree(r.stdout());
            return j.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e9;
        } catch (Exception e) {
            throw new IllegalStateException("iperf3 output not JSON: " + r.stdout(), e);
        }
    }

    private static String fmt(List<Double> xs) {
        return Arrays.toString(xs.stream().map(x -> String.format("%.2f", x)).toArray());
    }

    private static List<List<Double>> interleaved(List<Supplier<?>> work, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            work.forEach(Supplier::get);
        }
        List<List<Double>> out = new ArrayList<>();
        work.forEach(w -> out.add(new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < work.size(); k++) {
                long t0 = System.nanoTime();
                work.get(k).get();
                out.get(k).add((System.nanoTime() - t0) / 1e6);
            }
        }
        return out;
    }

    private static String medMin(List<Double> xs) {
        return String.format("%.1f / %.1f", median(xs), xs.stream().mapToDouble(d -> d).min().orElseThrow());
    }

    private static List<Double> timeCmd(Netns ns, String input, int runs, String... argv) {
        String[] cmd = argv.length == 0 ? new String[] {"nft", "-f", "-"} : argv;
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            ns.execWithInput(input, cmd).orThrow();
            out.add((System.nanoTime() - t0) / 1e6);
        }
        return out;
    }

    private static List<Double> timeLib(NftContext nft, String input, int runs) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            nft.run(input);
            out.add((System.nanoTime() - t0) / 1e6);
        }
        return out;
    }

    private static double max(List<Double> xs) {
        return xs.stream().mapToDouble(d -> d).max().orElseThrow();
    }

    private static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.get(s.size() / 2);
    }
}
