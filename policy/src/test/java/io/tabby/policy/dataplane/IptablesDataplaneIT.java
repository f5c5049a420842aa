package io.tabby.policy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.compile.Compiler;
import io.tabby.policy.conformance.Scenarios;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Protocol;
import io.tabby.policy.render.iptables.IptablesRenderer;
import io.tabby.testkit.ExecResult;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.NetnsTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The same scenarios with the iptables renderer: {@code ipset restore}, then
 * {@code iptables-restore --noflush}, the FORWARD hook inserted once, stale sets destroyed,
 * all inside the node namespaces. The first apply on a node is the full resync; every later one
 * is incremental (only changed chains and set members), so all scenarios after the first check
 * the incremental path.
 */
@NetnsTest
class IptablesDataplaneIT {
    private final IptablesRenderer ipt = IptablesRenderer.defaults();

    @Test
    void observedMatricesEqualTheExplainers(Lab lab) {
        DataplaneScenarios.run(new E2eLab(lab), this::apply);
    }

    /**
     * An update leaves every chain it does not change alone, counters included; an update that
     * the kernel refuses (here: its rules name a set that was never created) changes nothing.
     */
    @Test
    void anUpdateTouchesOnlyWhatChangedAndARefusedOneNothing(Lab lab) {
        E2eLab e2e = new E2eLab(lab);
        Netns n1 = e2e.nodes.get("n1").netns();
        String fromY = Scenarios.np("x", "from-y", """
                podSelector: {}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                  ports: [{port: 80, protocol: TCP}]
                """);
        String fromZ = Scenarios.np("x", "from-z", """
                podSelector: {}
                ingress:
                - from: [{namespaceSelector: {matchLabels: {ns: z}}}]
                  ports: [{port: 80, protocol: TCP}]
                """);
        Ruleset first = Compiler.compile(e2e.cluster(fromY + fromZ), "n1");
        apply(n1, first, null);
        e2e.probe(Protocol.TCP, 80);
        Map<String, List<String>> before = chains(n1);
        assertThat(before.get("tabby-FORWARD")).as("traffic went through our rules").anyMatch(l -> !l.startsWith("[0:0]"));

        Ruleset second = Compiler.compile(e2e.cluster(fromY + fromZ.replace("port: 80", "port: 81")), "n1");
        apply(n1, second, first);
        Map<String, List<String>> after = chains(n1);
        String changed = IptablesRenderer.chainName("pi.x.from-z");
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String chain : before.keySet()) {
            if (chain.equals(changed)) {
                assertThat(after.get(chain)).as(chain).isNotEqualTo(before.get(chain)).anyMatch(l -> l.contains("--dports 81"));
            } else {
                assertThat(after.get(chain)).as("untouched chain %s, rules and counters", chain).isEqualTo(before.get(chain));
            }
        }

        // A policy with a new peer set, applied without creating the set first: iptables-restore
        // refuses the whole commit and the ruleset stays exactly as it was.
        String fromAll = Scenarios.np("x", "from-b-pods", """
                podSelector: {}
                ingress:
                - from: [{podSelector: {matchLabels: {pod: b}}, namespaceSelector: {}}]
                """);
        Ruleset third = Compiler.compile(e2e.cluster(fromY + fromZ + fromAll), "n1");
        ExecResult refused = n1.execWithInput(ipt.iptablesRestore(third, second), "iptables-restore", "--noflush");
        assertThat(refused.ok()).isFalse();
        assertThat(chains(n1)).isEqualTo(after);
        apply(n1, third, second);
        assertThat(chains(n1)).containsKey(IptablesRenderer.chainName("pi.x.from-b-pods"));
    }

    private void apply(Netns node, Ruleset now, Ruleset before) {
        String sets = ipt.ipsetUpdate(now, before);
        if (!sets.isEmpty()) {
            node.execWithInput(sets, "ipset", "restore").orThrow();
        }
        String rules = ipt.iptablesRestore(now, before);
        if (!rules.isEmpty()) {
            node.execWithInput(rules, "iptables-restore", "--noflush").orThrow();
        }
        if (!node.exec(argv("iptables", "-C", ipt.hookRule())).ok()) {
            node.run(argv("iptables", "-I", ipt.hookRule()));
        }
        String cleanup = ipt.ipsetCleanup(now, before);
        if (!cleanup.isEmpty()) {
            node.execWithInput(cleanup, "ipset", "restore").orThrow();
        }
    }

    /** Our chains as {@code iptables-save -c} shows them: chain to its rule lines with counters. */
    private static Map<String, List<String>> chains(Netns node) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String line : node.run("iptables-save", "-c", "-t", "filter").lines().toList()) {
            String[] f = line.split(" ", 4);
            if (line.startsWith(":tabby-")) {
                out.putIfAbsent(f[0].substring(1), new ArrayList<>());
            } else if (f.length == 4 && f[1].equals("-A") && f[2].startsWith("tabby-")) {
                out.computeIfAbsent(f[2], k -> new ArrayList<>()).add(f[0] + " " + f[3]);
            }
        }
        return out;
    }

    private static String[] argv(String cmd, String verb, List<String> rule) {
        List<String> a = new ArrayList<>(List.of(cmd, verb));
        a.addAll(rule);
        return a.toArray(String[]::new);
    }
}
