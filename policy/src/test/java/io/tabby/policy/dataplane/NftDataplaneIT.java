package io.tabby.policy.dataplane;

import io.tabby.policy.render.nft.NftRenderer;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import org.junit.jupiter.api.Test;

/**
 * The e2e scenarios on a real dataplane with the nftables renderer: for each scenario, each
 * node gets the rules for its own endpoints, loaded with {@code nft -f -} inside the node
 * namespace (replacing the previous scenario's table atomically), and real TCP, UDP and SCTP
 * probes between all pods must observe exactly the explainer's matrix.
 */
@NetnsTest
class NftDataplaneIT {
    private final NftRenderer nft = NftRenderer.defaults();

    @Test
    void observedMatricesEqualTheExplainers(Lab lab) {
        DataplaneScenarios.run(new E2eLab(lab),
                (node, now, before) -> node.execWithInput(nft.render(now), "nft", "-f", "-").orThrow());
    }
}
