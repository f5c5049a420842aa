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

    /**
     * What an incremental nft transaction may contain, so libnftables fetches as little as it
     * can (nftables 1.0.6 src/cache.c): never a rule cache (no rule handles, index or position,
     * no replace, no list), never a whole-table block (it makes the cache take every object).
     */
    @Test
    void incrementalNftTransactionsNeedNoRuleCache() {
        List<Scenario> all = Scenarios.list();
        Pattern allowed = Pattern.compile("^(add (set|chain|rule|element)|delete (element|chain|set)|flush chain) inet tabby \\S+( .*)?$");
        for (int i = 1; i < all.size(); i++) {
            Ruleset a = Compiler.compile(E2eModel.cluster(all.get(i - 1).policies()), "n1");
            Ruleset b = Compiler.compile(E2eModel.cluster(all.get(i).policies()), "n1");
            for (String line : diff.diff(a, b).lines().toList()) {
                assertThat(line).matches(allowed).doesNotContain(" handle ").doesNotContain(" index ").doesNotContain(" position ");
            }
        }
    }

    @Test
    void iptablesUpdatesRewriteOnlyChangedChainsAndSetMembers() {
        List<Scenario> all = Scenarios.list();
        for (Scenario s : all) {
            Ruleset a = Compiler.compile(E2eModel.cluster(s.policies()), "n1");
            assertThat(ipt.iptablesRestore(a, a)).isEmpty();
            assertThat(ipt.ipsetUpdate(a, a)).isEmpty();
        }
        Cluster base = E2eModel.cluster(all.get(4).policies());
        Ruleset before = Compiler.compile(base, "n1");
        Cluster changed = E2eModel.cluster(all.get(4).policies().replace("namespaceSelector: {}", "namespaceSelector: {matchLabels: {ns: z}}"));
        Ruleset now = Compiler.compile(changed, "n1");
        String update = ipt.iptablesRestore(now, before);
        // Only the changed policy's chain is declared (which flushes it) and refilled; the
        // FORWARD hook chain, the dispatch chains and the endpoint chains are not mentioned.
        String changedChain = IptablesRenderer.chainName("pi.x.x-a-from-all-ns");
        assertThat(update.lines().filter(l -> l.startsWith(":"))).containsExactly(":" + changedChain + " - [0:0]");
        assertThat(update.lines().filter(l -> l.startsWith("-A "))).allMatch(l -> l.startsWith("-A " + changedChain + " ")).isNotEmpty();
        assertThat(update).startsWith("*filter\n").endsWith("COMMIT\n");
        // The new peer set is created and filled; no set is swapped or flushed.
        String sets = ipt.ipsetUpdate(now, before);
        assertThat(sets).doesNotContain("swap").doesNotContain("flush").contains("create ");
        // The start-up resync still writes everything.
        assertThat(ipt.iptablesRestore(now, null)).contains(":tabby-FORWARD - [0:0]").contains(":tabby-to-wl - [0:0]");
    }

    @Test
    void ipsetUpdatesAddAndDeleteSingleMembers() {
        String policy = Scenarios.np("x", "from-b", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{podSelector: {matchLabels: {pod: b}}}]
                """);
        Cluster c = E2eModel.cluster(policy);
        Ruleset before = Compiler.compile(c, "n1");
        // x/c becomes a "b" too: one member more in the selector's set, nothing else.
        Cluster relabelled = E2eModel.relabel(c, "x/c", java.util.Map.of("pod", "b"));
        Ruleset now = Compiler.compile(relabelled, "n1");
        String xc = relabelled.endpoint("x/c").orElseThrow().ip();
        assertThat(ipt.ipsetUpdate(now, before).lines().toList()).singleElement().satisfies(l ->
                assertThat(l).startsWith("add tabby-s-").endsWith(" " + xc + " -exist"));
        assertThat(ipt.ipsetUpdate(before, now).lines().toList()).singleElement().satisfies(l ->
                assertThat(l).startsWith("del tabby-s-").endsWith(" " + xc + " -exist"));
        assertThat(ipt.iptablesRestore(now, before)).isEmpty();
    }

    /** An IPv6 ipBlock: an ipv6_addr set in nft, an inet6 ipset, its rule only in ip6tables. */
    @Test
    void ipv6IpBlocksRenderToIpv6SetsAndRules() {
        Cluster c = E2eModel.cluster(Scenarios.np("x", "from-v6", """
                podSelector: {matchLabels: {pod: a}}
                ingress:
                - from: [{ipBlock: {cidr: "fd00:10::/64", except: ["fd00:10::4/128"]}}]
                  ports: [{port: 80, protocol: TCP}]
                - from: [{ipBlock: {cidr: "192.0.2.0/24"}}]
                """));
        Ruleset rs = Compiler.compile(c, "n1");
        io.tabby.policy.ir.AddressSet v6 = rs.addressSets().stream().filter(io.tabby.policy.ir.AddressSet::v6).findFirst().orElseThrow();
        assertThat(v6.interval()).isTrue();
        // fd00:10::/64 minus ::4 is 64 disjoint prefixes, the sibling at each length /65../128 (::5/128 the last).
        assertThat(v6.members()).hasSize(64).contains("fd00:10:0:0:0:0:0:5").doesNotContain("fd00:10:0:0:0:0:0:4");
        String v4Set = rs.addressSets().stream().filter(s -> !s.v6() && s.interval()).findFirst().orElseThrow().name();

        String text = nft.render(rs);
        assertThat(text).contains("type ipv6_addr").contains("ip6 saddr @" + v6.name() + " tcp dport 80")
                .contains("ip saddr @" + v4Set);
        assertThat(ipt.ipsetRestore(rs)).contains("create tabby-" + v6.name() + " hash:net family inet6 -exist");
        String v4 = ipt.iptablesRestore(rs, null);
        String v6Rules = ipt.ip6tablesRestore(rs, null);
        assertThat(v4).doesNotContain(v6.name()).contains("tabby-" + v4Set + " src");
        assertThat(v6Rules).contains("--match-set tabby-" + v6.name() + " src").doesNotContain(v4Set);
        // Both families have the same chains, so dispatch and isolation hold for IPv6 packets too.
        assertThat(v6Rules.lines().filter(l -> l.startsWith(":"))).containsExactlyElementsOf(v4.lines().filter(l -> l.startsWith(":")).toList());
    }
}
