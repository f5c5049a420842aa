package io.tabby.policy.dataplane;

import io.tabby.policy.render.iptables.IptablesRenderer;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same scenarios with the iptables renderer: {@code ipset restore}, then
 * {@code iptables-restore --noflush}, the FORWARD hook inserted once, stale sets destroyed,
 * all inside the node namespaces.
 */
@NetnsTest
class IptablesDataplaneIT {
    private final IptablesRenderer ipt = IptablesRenderer.defaults();

    @Test
    void observedMatricesEqualTheExplainers(Lab lab) {
        DataplaneScenarios.run(new E2eLab(lab), (node, now, before) -> {
            node.execWithInput(ipt.ipsetRestore(now), "ipset", "restore").orThrow();
            node.execWithInput(ipt.iptablesRestore(now, before), "iptables-restore", "--noflush").orThrow();
            if (!node.exec(argv("iptables", "-C", ipt.hookRule())).ok()) {
                node.run(argv("iptables", "-I", ipt.hookRule()));
            }
            String cleanup = ipt.ipsetCleanup(now, before);
            if (!cleanup.isEmpty()) {
                node.execWithInput(cleanup, "ipset", "restore").orThrow();
            }
        });
    }

    private static String[] argv(String cmd, String verb, List<String> rule) {
        List<String> a = new ArrayList<>(List.of(cmd, verb));
        a.addAll(rule);
        return a.toArray(String[]::new);
    }
}
