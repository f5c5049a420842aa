package io.tabby.policy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.compile.Compiler;
import io.tabby.policy.conformance.E2eModel;
import io.tabby.policy.conformance.Scenario;
import io.tabby.policy.conformance.Scenarios;
import io.tabby.policy.eval.Evaluator;
import io.tabby.policy.eval.Matrix;
import io.tabby.policy.eval.Party;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.Protocol;
import io.tabby.testkit.Netns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every e2e scenario of {@link Scenarios}, run on the real dataplane, and the check: the observed
 * matrices must equal the explainer's.
 */
final class DataplaneScenarios {
    /** Scenarios in which the nodes also probe every pod (the local-node exception; another node is not local). */
    private static final Set<String> NODE_PROBES = Set.of(
            "no policies: everything allowed", "default-deny-ingress", "default-deny-all",
            "PodSelector AND NamespaceSelector (one peer)", "an IP in both a CIDR's except and another policy is allowed");

    private DataplaneScenarios() {}

    /** Loads one node's rules into its namespace; {@code before} is what that node had, or null. */
    @FunctionalInterface
    interface Backend {
        void apply(Netns node, Ruleset now, Ruleset before);
    }

    /**
     * Runs every scenario: per scenario, compiles and applies each node's rules (replacing the last
     * scenario's), forgets tracked flows, then checks every probe matrix.
     */
    static void run(E2eLab e2e, Backend backend) {
        Map<String, Ruleset> applied = new HashMap<>();
        List<Scenario> all = Scenarios.list();
        assertThat(all).hasSizeGreaterThanOrEqualTo(42);
        for (Scenario s : all) {
            Cluster cluster = e2e.cluster(s.policies());
            for (String node : E2eLab.NODES) {
                Ruleset rs = Compiler.compile(cluster, node);
                assertThat(rs.errors()).isEmpty();
                backend.apply(e2e.nodes.get(node).netns(), rs, applied.get(node));
                applied.put(node, rs);
            }
            e2e.flushConntrack();
            assertMatrices(e2e, s, new Evaluator(cluster));
        }
        labelUpdates(e2e, backend, applied);
    }

    /**
     * Policies follow label changes (upstream "should allow ingress access from updated pod" and
     * "... from updated namespace"): the policies stay the same and only set membership changes,
     * so the update is pure set-element work.
     */
    private static void labelUpdates(E2eLab e2e, Backend backend, Map<String, Ruleset> applied) {
        String policies = Scenarios.np("x", "x-a-from-b-or-ns-y", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{podSelector: {matchLabels: {pod: b}}}]
                - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                """);
        Cluster before = e2e.cluster(policies);
        Cluster podRelabelled = E2eModel.relabel(before, "x/c", Map.of("pod", "b"));
        Cluster nsRelabelled = E2eModel.relabelNamespace(podRelabelled, "z", Map.of("ns", "y"));
        Cluster nsOnly = E2eModel.relabelNamespace(before, "z", Map.of("ns", "y"));
        for (Cluster c : List.of(before, podRelabelled, nsRelabelled, nsOnly)) {
            for (String node : E2eLab.NODES) {
                Ruleset rs = Compiler.compile(c, node);
                backend.apply(e2e.nodes.get(node).netns(), rs, applied.get(node));
                applied.put(node, rs);
            }
            e2e.flushConntrack();
            Evaluator ev = new Evaluator(c);
            Matrix expected = ev.matrix(Protocol.TCP, 80).ignoringLoopback();
            Matrix observed = e2e.probe(Protocol.TCP, 80);
            if (!observed.equals(expected)) {
                observed = e2e.probe(Protocol.TCP, 80);
            }
            assertThat(observed.differences(expected)).as("label update%nexplainer:%n%s%nobserved:%n%s",
                    expected.render(), observed.render()).isEmpty();
        }
    }

    /**
     * Probes every check of the scenario and compares with the explainer. A mismatch is probed
     * once more before failing, as upstream's ValidateOrFail does, to ride out a lost datagram.
     */
    static void assertMatrices(E2eLab lab, Scenario s, Evaluator explainer) {
        for (Scenario.Check c : s.checks()) {
            Matrix expected = explainer.matrix(c.protocol(), c.port()).ignoringLoopback();
            Matrix observed = lab.probe(c.protocol(), c.port());
            if (!observed.equals(expected)) {
                observed = lab.probe(c.protocol(), c.port());
            }
            assertThat(observed.differences(expected))
                    .as("%s on %s/%d%nexplainer:%n%s%nobserved:%n%s", s.name(), c.protocol(), c.port(),
                            expected.render(), observed.render())
                    .isEmpty();
        }
        if (!NODE_PROBES.contains(s.name())) {
            return;
        }
        Scenario.Check first = s.checks().getFirst();
        Set<String> expected = new TreeSet<>();
        for (String node : E2eLab.NODES) {
            String ip = lab.nodes.get(node).address();
            for (Endpoint e : explainer.cluster().endpoints()) {
                if (explainer.explain(new Party.Host(ip, node), new Party.Pod(e), first.protocol(), first.port()).allowed()) {
                    expected.add(node + ">" + e.key());
                }
            }
        }
        Set<String> observed = new TreeSet<>(lab.probeFromNodes(first.protocol(), first.port()));
        if (!observed.equals(expected)) {
            observed = new TreeSet<>(lab.probeFromNodes(first.protocol(), first.port()));
        }
        assertThat(observed).as("%s: node -> pod on %s/%d", s.name(), first.protocol(), first.port()).isEqualTo(expected);
    }
}
