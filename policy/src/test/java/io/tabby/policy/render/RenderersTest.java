package io.tabby.policy.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.compile.Compiler;
import io.tabby.policy.conformance.E2eModel;
import io.tabby.policy.conformance.Scenario;
import io.tabby.policy.conformance.Scenarios;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.render.iptables.IptablesRenderer;
import io.tabby.policy.render.nft.NftDiff;
import io.tabby.policy.render.nft.NftRenderer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Determinism, names, ownership marks and the incremental diff, over every e2e scenario. */
class RenderersTest {
    private final NftRenderer nft = NftRenderer.defaults();
    private final IptablesRenderer ipt = IptablesRenderer.defaults();
    private final NftDiff diff = new NftDiff(nft);

    private static List<Ruleset> allRulesets() {
        List<Ruleset> out = new ArrayList<>();
        for (Scenario s : Scenarios.list()) {
            Cluster c = E2eModel.cluster(s.policies());
            out.add(Compiler.compile(c, "n1"));
            out.add(Compiler.compile(c, "n2"));
        }
        return out;
    }

    @Test
    void outputDoesNotDependOnInputOrder() {
        for (Scenario s : Scenarios.list()) {
            Cluster c = E2eModel.cluster(s.policies());
            List<io.tabby.policy.model.Endpoint> eps = new ArrayList<>(c.endpoints());
            List<io.tabby.policy.model.NetworkPolicy> ps = new ArrayList<>(c.policies());
            Collections.shuffle(eps, new Random(1));
            Collections.shuffle(ps, new Random(2));
            Cluster shuffled = new Cluster(c.namespaces(), eps, ps);
            assertThat(nft.render(Compiler.compile(shuffled, "n1"))).isEqualTo(nft.render(Compiler.compile(c, "n1")));
            Ruleset rs = Compiler.compile(c, "n2");
            assertThat(ipt.iptablesRestore(Compiler.compile(shuffled, "n2"), null)).isEqualTo(ipt.iptablesRestore(rs, null));
        }
    }

    @Test
    void iptablesNamesFitAndEveryRuleIsMarkedOurs() {
        Pattern chain = Pattern.compile("^:(\\S+) ");
        Pattern set = Pattern.compile("^create (\\S+) ");
        for (Ruleset rs : allRulesets()) {
            for (String line : ipt.iptablesRestore(rs, null).lines().toList()) {
                Matcher m = chain.matcher(line);
                if (m.find()) {
                    assertThat(m.group(1)).startsWith("tabby-").hasSizeLessThanOrEqualTo(28);
                }
                if (line.startsWith("-A ")) {
                    assertThat(line).containsPattern("--comment \"tabby:[0-9a-f]{16} ");
                }
            }
            for (String line : ipt.ipsetRestore(rs).lines().toList()) {
                Matcher m = set.matcher(line);
                if (m.find()) {
                    assertThat(m.group(1)).startsWith("tabby-").hasSizeLessThanOrEqualTo(31);
                }
            }
        }
    }

    @Test
    void isolatedEndpointsDispatchThroughTheVerdictMapAndDropAtTheEnd() {
        Cluster c = E2eModel.cluster(Scenarios.list().stream().filter(s -> s.name().equals("default-deny-ingress")).findFirst().orElseThrow().policies());
        Ruleset rs = Compiler.compile(c, "n1");
        String xa = c.endpoint("x/a").orElseThrow().iface();
        String text = nft.render(rs);
        assertThat(text).contains("\"" + xa + "\" : goto tw." + xa)
                .contains("jump pi.x.deny-ingress")
                .contains("drop comment \"x/a ingress: isolated and no policy allows it\"");
        // y/b is on n1 too but not isolated: its chain is empty, so it just returns.
        assertThat(rs.chain("tw." + c.endpoint("y/b").orElseThrow().iface()).orElseThrow().rules()).isEmpty();
    }

    @Test
    void diffOfEqualRulesetsIsEmptyAndOfAnotherOnlyTouchesWhatDiffers() {
        List<Scenario> all = Scenarios.list();
        for (int i = 0; i < all.size(); i++) {
            Ruleset a = Compiler.compile(E2eModel.cluster(all.get(i).policies()), "n1");
            assertThat(diff.diff(a, a)).isEmpty();
        }
        Cluster base = E2eModel.cluster(all.get(4).policies());
        Ruleset before = Compiler.compile(base, "n1");
        // Relabel nothing, change one policy: only its chain is flushed and refilled.
        Cluster changed = E2eModel.cluster(all.get(4).policies().replace("namespaceSelector: {}", "namespaceSelector: {matchLabels: {ns: z}}"));
        String d = diff.diff(before, Compiler.compile(changed, "n1"));
        assertThat(d.lines().filter(l -> l.startsWith("flush chain"))).containsExactly("flush chain inet tabby pi.x.x-a-from-all-ns");
        assertThat(d).doesNotContain("from-endpoint").doesNotContain("to-endpoint").doesNotContain("tw.").doesNotContain("fw.");
    }
}
