package io.tabby.policy.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.eval.Evaluator;
import io.tabby.policy.eval.Matrix;
import io.tabby.policy.model.Cluster;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every e2e scenario: the explainer's matrix must equal the hand-written truth table. */
class ExplainerConformanceTest {

    static List<Scenario> scenarios() {
        return Scenarios.list();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void explainerMatrixEqualsExpectedTruthTable(Scenario scenario) {
        Cluster cluster = E2eModel.cluster(scenario.policies());
        Evaluator evaluator = new Evaluator(cluster);
        for (Scenario.Check c : scenario.checks()) {
            Matrix expected = c.expected().matrix(c.protocol(), c.port());
            Matrix actual = evaluator.matrix(c.protocol(), c.port()).ignoringLoopback();
            assertThat(actual.differences(expected))
                    .as("%s on %s/%d%nexpected:%n%s%nexplainer:%n%s", scenario.name(), c.protocol(), c.port(),
                            expected.render(), actual.render())
                    .isEmpty();
        }
    }
}
