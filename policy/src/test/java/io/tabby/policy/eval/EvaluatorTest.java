package io.tabby.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.conformance.E2eModel;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.Protocol;
import org.junit.jupiter.api.Test;

/** The explainer's reasons, beyond the yes/no the conformance matrices check. */
class EvaluatorTest {
    private static final String POLICIES = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: x}
            spec:
              podSelector: {matchLabels: {pod: a}}
              ingress:
              - from: [{namespaceSelector: {matchLabels: {ns: y}}}]
                ports: [{port: serve-80-tcp}]
              - from: [{podSelector: {matchLabels: {pod: b}}}]
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: x}
            spec:
              podSelector: {}
            """;

    private final Cluster cluster = E2eModel.cluster(POLICIES);
    private final Evaluator ev = new Evaluator(cluster);

    private Endpoint pod(String key) {
        return cluster.endpoint(key).orElseThrow();
    }

    @Test
    void namesEveryIsolatingPolicyAndTheRuleThatAllowed() {
        Explanation e = ev.explain(pod("y/c"), pod("x/a"), Protocol.TCP, 80);
        assertThat(e.allowed()).isTrue();
        assertThat(e.egress().outcome()).isEqualTo(Side.Outcome.NOT_ISOLATED);
        assertThat(e.ingress().outcome()).isEqualTo(Side.Outcome.ALLOWED);
        assertThat(e.ingress().isolatedBy()).containsExactly("x/deny", "x/web");
        assertThat(e.ingress().allowedBy()).extracting(Side.RuleRef::toString)
                .containsExactly("x/web ingress[0] (peer: nsSel{ns=y} pods{}, port: serve-80-tcp/TCP)");
    }

    @Test
    void isolatedAndNothingAllowsIt() {
        Explanation e = ev.explain(pod("y/c"), pod("x/a"), Protocol.TCP, 81);
        assertThat(e.allowed()).isFalse();
        assertThat(e.ingress().outcome()).isEqualTo(Side.Outcome.DENIED);
        assertThat(e.ingress().allowedBy()).isEmpty();
        assertThat(e.ingress().isolatedBy()).containsExactly("x/deny", "x/web");
    }

    @Test
    void theLocalNodeIsAlwaysAllowedInButAnotherNodeIsNot() {
        Endpoint xa = pod("x/a");
        assertThat(ev.explain(new Party.Host("10.99.0.11", xa.node()), new Party.Pod(xa), Protocol.TCP, 81).ingress().outcome())
                .isEqualTo(Side.Outcome.LOCAL_NODE);
        assertThat(ev.explain(new Party.Host("10.99.0.12", "other"), new Party.Pod(xa), Protocol.TCP, 81).allowed()).isFalse();
    }

    @Test
    void aPodMayAlwaysTalkToItself() {
        assertThat(ev.explain(pod("x/b"), pod("x/b"), Protocol.UDP, 81).egress().outcome()).isEqualTo(Side.Outcome.SAME_POD);
        assertThat(ev.explain(pod("x/b"), pod("x/b"), Protocol.UDP, 81).allowed()).isTrue();
    }
}
