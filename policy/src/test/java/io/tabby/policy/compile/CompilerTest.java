package io.tabby.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.conformance.E2eModel;
import io.tabby.policy.ir.Action;
import io.tabby.policy.ir.Chain;
import io.tabby.policy.ir.Match;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.NetworkPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompilerTest {
    private static final String TWO_POLICIES = """
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: huge, namespace: x}
            spec:
              podSelector: {matchLabels: {pod: a}}
              ingress:
              - from:
                - podSelector: {matchLabels: {pod: c}}
                - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.1/32, 10.2.0.1/32, 10.3.0.1/32]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: fine, namespace: x}
            spec:
              podSelector: {matchLabels: {pod: a}}
              ingress:
              - from: [{podSelector: {matchLabels: {pod: b}}}]
                ports: [{port: 80}, {port: 81}, {protocol: UDP}, {port: serve-80-sctp, protocol: SCTP}]
            """;

    @Test
    void aPolicyThatCannotCompileIsReportedLeavesNothingBehindAndTheOthersAreEnforced() {
        Cluster c = E2eModel.cluster(TWO_POLICIES);
        Ruleset rs = Compiler.compile(c, "n1", 40);
        assertThat(rs.errors()).singleElement().asString()
                .startsWith("NetworkPolicy x/huge: ipBlock 10.0.0.0/8 except [10.1.0.1/32, 10.2.0.1/32, 10.3.0.1/32] expands to ")
                .contains("more than the limit of 40");
        // Its chain allows nothing, but x/a stays isolated by it and by x/fine.
        assertThat(rs.chain("pi.x.huge").orElseThrow().rules()).isEmpty();
        String xa = c.endpoint("x/a").orElseThrow().iface();
        assertThat(rs.chain("tw." + xa).orElseThrow().rules()).extracting(r -> r.action())
                .contains(new Action.Jump("pi.x.fine"), new Action.Jump("pi.x.huge"), new Action.Drop());
        // The set for its pod peer, which it was first to need, was dropped with it.
        assertThat(rs.addressSets()).extracting(s -> s.comment()).containsExactly("ns=x pods{pod=b}");
        // x/fine is whole: numeric ports of one protocol in one match, UDP as protocol only,
        // the named SCTP port as an (address, port) set.
        Chain fine = rs.chain("pi.x.fine").orElseThrow();
        assertThat(fine.rules()).extracting(r -> r.matches().get(1)).containsExactly(
                new Match.DstPorts(io.tabby.policy.model.Protocol.TCP, List.of(new Match.PortRange(80, 80), new Match.PortRange(81, 81))),
                new Match.Proto(io.tabby.policy.model.Protocol.UDP),
                new Match.DstAddrPortInSet(rs.portSets().getFirst().name(), io.tabby.policy.model.Protocol.SCTP));
        assertThat(rs.portSets().getFirst().members()).hasSize(9);
    }

    @Test
    void withTheDefaultLimitTheSamePolicyCompilesToDisjointPrefixes() {
        Ruleset rs = Compiler.compile(E2eModel.cluster(TWO_POLICIES), "n1");
        assertThat(rs.errors()).isEmpty();
        List<Cidr> block = rs.addressSets().stream().filter(s -> s.interval()).findFirst().orElseThrow()
                .members().stream().map(Cidr::parse).toList();
        // Sorted, disjoint, inside the cidr, clear of every except, and together exactly cidr - except.
        long total = 0;
        for (int i = 0; i < block.size(); i++) {
            Cidr p = block.get(i);
            assertThat(Cidr.parse("10.0.0.0/8").contains(p)).isTrue();
            for (String hole : List.of("10.1.0.1", "10.2.0.1", "10.3.0.1")) {
                assertThat(p.contains(Cidr.Address.parse(hole))).as("%s contains %s", p, hole).isFalse();
            }
            if (i > 0) {
                assertThat(p.base()).isGreaterThan(block.get(i - 1).last());
            }
            total += 1L << (32 - p.prefix());
        }
        assertThat(total).isEqualTo((1L << 24) - 3);
    }

    @Test
    void longPolicyNamesStillMakeValidChainNames() {
        String longName = "p" + "-abcdefghi".repeat(25);
        NetworkPolicy p = NetworkPolicy.defaulted("x", longName, null, List.of(), List.of(), List.of());
        String chain = Compiler.policyChainName(p, io.tabby.policy.model.PolicyType.Ingress);
        assertThat(chain).startsWith("pi.x.p-abcdefghi").hasSizeLessThanOrEqualTo(200);
        assertThat(chain).isNotEqualTo(Compiler.policyChainName(
                NetworkPolicy.defaulted("x", longName + "x", null, List.of(), List.of(), List.of()), io.tabby.policy.model.PolicyType.Ingress));
    }

    @Test
    void onlyLocalEndpointsGetChainsAndDispatch() {
        Cluster c = E2eModel.cluster(TWO_POLICIES);
        Ruleset n2 = Compiler.compile(c, "n2");
        List<String> local = c.endpoints().stream().filter(e -> e.node().equals("n2")).map(Endpoint::iface).toList();
        assertThat(n2.toEndpoint().keySet()).containsExactlyInAnyOrderElementsOf(local);
        assertThat(n2.fromEndpoint().keySet()).containsExactlyInAnyOrderElementsOf(local);
        // x/a lives on n1: n2 needs none of the policies that select it.
        assertThat(n2.chains()).noneMatch(ch -> ch.name().startsWith("pi."));
    }
}
