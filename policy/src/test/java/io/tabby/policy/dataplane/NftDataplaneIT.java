package io.tabby.policy.dataplane;

import io.tabby.netlink.nft.NftContext;
import io.tabby.policy.render.nft.NftDiff;
import io.tabby.policy.render.nft.NftRenderer;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The e2e scenarios on a real dataplane with the nftables renderer: for each scenario, each
 * node gets the rules for its own endpoints, applied through a libnftables context living in
 * the node namespace (as the agent applies them; replacing the previous scenario's table
 * atomically, or changing it incrementally), and real TCP, UDP and SCTP probes between all pods
 * must observe exactly the explainer's matrix.
 */
@NetnsTest
class NftDataplaneIT {
    private final NftRenderer nft = NftRenderer.defaults();

    private final NftDiff diff = new NftDiff(nft);

    /**
     * Scenarios alternate between a full atomic reload and an incremental transaction from the
     * previous scenario's ruleset, so both paths must yield exactly the explainer's matrices.
     */
    @Test
    void observedMatricesEqualTheExplainers(Lab lab) {
        AtomicInteger applies = new AtomicInteger();
        Map<String, NftContext> contexts = new HashMap<>();
        try {
            DataplaneScenarios.run(new E2eLab(lab), (node, now, before) -> {
                boolean incremental = before != null && applies.getAndIncrement() % 4 >= 2;
                String script = incremental ? diff.diff(before, now) : nft.render(now);
                if (!script.isEmpty()) {
                    contexts.computeIfAbsent(node.name(), NftContext::inNamed).run(script);
                }
            });
        } finally {
            contexts.values().forEach(NftContext::close);
        }
    }
}
