package io.tabby.policy.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.compile.Compiler;
import io.tabby.policy.conformance.Scenario;
import io.tabby.policy.eval.Evaluator;
import io.tabby.policy.eval.Matrix;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.render.nft.NftRenderer;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import org.junit.jupiter.api.Test;

/**
 * The e2e scenarios on a real dataplane with the nftables renderer: for each scenario, each
 * node gets the rules for its own endpoints, loaded with {@code nft -f -} inside the node
 * namespace, and real TCP, UDP and SCTP probes between all pods must observe exactly the
 * explainer's matrix.
 */
@NetnsTest
class NftDataplaneIT {
    private final NftRenderer nft = NftRenderer.defaults();

    @Test
    void observedMatricesEqualTheExplainers(Lab lab) {
        E2eLab e2e = new E2eLab(lab);
        for (Scenario s : DataplaneScenarios.subset()) {
            Cluster cluster = e2e.cluster(s.policies());
            for (String node : E2eLab.NODES) {
                Ruleset rs = Compiler.compile(cluster, node);
                assertThat(rs.errors()).isEmpty();
                e2e.nodes.get(node).netns().execWithInput(nft.render(rs), "nft", "-f", "-").orThrow();
            }
            e2e.flushConntrack();
            DataplaneScenarios.assertMatrices(e2e, s, new Evaluator(cluster));
        }
    }
}
