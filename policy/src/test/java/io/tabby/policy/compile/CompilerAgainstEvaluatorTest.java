package io.tabby.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.tabby.policy.conformance.E2eModel;
import io.tabby.policy.conformance.Scenario;
import io.tabby.policy.conformance.Scenarios;
import io.tabby.policy.eval.Evaluator;
import io.tabby.policy.eval.Party;
import io.tabby.policy.ir.Ruleset;
import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.NetworkPolicy;
import io.tabby.policy.model.Peer;
import io.tabby.policy.model.PolicyType;
import io.tabby.policy.model.PortMatch;
import io.tabby.policy.model.Protocol;
import io.tabby.policy.model.Rule;
import io.tabby.policy.selector.LabelSelector;
import io.tabby.policy.selector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compiled IR, executed by {@link IrInterpreter} on both nodes of the e2e model, must agree
 * with the evaluator on every pod pair, every port of the model, and node-to-pod traffic: for
 * all 42 scenarios and for 300 random policy sets (seeded, so a failure reproduces).
 */
class CompilerAgainstEvaluatorTest {
    private static final List<Object[]> PORTS = List.of(
            new Object[] {Protocol.TCP, 80}, new Object[] {Protocol.TCP, 81}, new Object[] {Protocol.UDP, 80},
            new Object[] {Protocol.UDP, 81}, new Object[] {Protocol.SCTP, 80}, new Object[] {Protocol.SCTP, 81});
    private static final Map<String, String> NODE_IPS = Map.of("n1", "10.99.0.11", "n2", "10.99.0.12");

    @Test
    void everyScenario() {
        for (Scenario s : Scenarios.list()) {
            assertAgree(E2eModel.cluster(s.policies()), s.name());
        }
    }

    @Test
    void randomPolicies() {
        Cluster model = E2eModel.cluster("");
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            List<NetworkPolicy> ps = new ArrayList<>();
            int n = 1 + r.nextInt(4);
            for (int i = 0; i < n; i++) {
                ps.add(randomPolicy(r, model, i));
            }
            assertAgree(model.withPolicies(ps), "seed " + seed + ": " + ps);
        }
    }

    private static void assertAgree(Cluster c, String what) {
        Evaluator ev = new Evaluator(c);
        Map<String, IrInterpreter> nodes = Map.of(
                "n1", new IrInterpreter(Compiler.compile(c, "n1"), "cali"),
                "n2", new IrInterpreter(Compiler.compile(c, "n2"), "cali"));
        for (Object[] pp : PORTS) {
            Protocol proto = (Protocol) pp[0];
            int port = (Integer) pp[1];
            for (Endpoint a : c.endpoints()) {
                for (Endpoint b : c.endpoints()) {
                    if (a == b) {
                        continue;
                    }
                    boolean compiled;
                    if (a.node().equals(b.node())) {
                        compiled = nodes.get(a.node()).forwards(a.iface(), b.iface(), a.ip(), b.ip(), proto, port);
                    } else {
                        compiled = nodes.get(a.node()).forwards(a.iface(), "eth0", a.ip(), b.ip(), proto, port)
                                && nodes.get(b.node()).forwards("eth0", b.iface(), a.ip(), b.ip(), proto, port);
                    }
                    assertThat(compiled).as("%s: %s -> %s %s/%d", what, a.key(), b.key(), proto, port)
                            .isEqualTo(ev.explain(a, b, proto, port).allowed());
                }
                // A node's own traffic to its pods is not forwarded (output hook): only the other node's is.
                String other = a.node().equals("n1") ? "n2" : "n1";
                boolean compiled = nodes.get(a.node()).forwards("eth0", a.iface(), NODE_IPS.get(other), a.ip(), proto, port);
                assertThat(compiled).as("%s: node %s -> %s %s/%d", what, other, a.key(), proto, port)
                        .isEqualTo(ev.explain(new Party.Host(NODE_IPS.get(other), other), new Party.Pod(a), proto, port).allowed());
            }
        }
    }

    private static NetworkPolicy randomPolicy(Random r, Cluster model, int i) {
        String ns = pick(r, List.of("x", "y", "z"));
        List<PolicyType> types = switch (r.nextInt(4)) {
            case 0 -> List.of();
            case 1 -> List.of(PolicyType.Ingress);
            case 2 -> List.of(PolicyType.Egress);
            default -> List.of(PolicyType.Ingress, PolicyType.Egress);
        };
        return NetworkPolicy.defaulted(ns, "p" + i, selector(r, "pod", List.of("a", "b", "c")), types,
                rules(r, model), rules(r, model));
    }

    private static List<Rule> rules(Random r, Cluster model) {
        List<Rule> out = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            List<PortMatch> ports = new ArrayList<>();
            int np = r.nextInt(3);
            for (int k = 0; k < np; k++) {
                Protocol p = pick(r, List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP));
                ports.add(switch (r.nextInt(4)) {
                    case 0 -> PortMatch.all(p);
                    case 1 -> PortMatch.port(p, 80 + r.nextInt(2));
                    case 2 -> new PortMatch(p, new PortMatch.Range(79 + r.nextInt(2), 80 + r.nextInt(3)));
                    default -> PortMatch.named(p, pick(r, List.of("serve-80-tcp", "serve-81-udp", "serve-80-sctp", "serve-81-tcp", "nope")));
                });
            }
            List<Peer> peers = new ArrayList<>();
            int nPeers = r.nextInt(3);
            for (int k = 0; k < nPeers; k++) {
                if (r.nextInt(4) == 0) {
                    Endpoint e = pick(r, model.endpoints());
                    Cidr block = Cidr.parse(e.ip() + "/" + (16 + r.nextInt(17)));
                    List<Cidr> except = r.nextBoolean() && block.prefix() < 32 ? List.of(Cidr.parse(pick(r, model.endpoints()).ip() + "/32")) : List.of();
                    except = except.stream().filter(x -> block.contains(x) && x.prefix() > block.prefix()).toList();
                    peers.add(new Peer.IpBlock(block, except));
                } else {
                    Optional<LabelSelector> nsSel = r.nextBoolean() ? Optional.empty()
                            : Optional.of(selector(r, "ns", List.of("x", "y", "z")));
                    peers.add(new Peer.Pods(nsSel, selector(r, "pod", List.of("a", "b", "c"))));
                }
            }
            out.add(new Rule(ports, peers));
        }
        return out;
    }

    private static LabelSelector selector(Random r, String key, List<String> values) {
        return switch (r.nextInt(6)) {
            case 0 -> LabelSelector.EVERYTHING;
            case 1 -> LabelSelector.ofLabels(Map.of(key, pick(r, values)));
            case 2 -> new LabelSelector(Map.of(), List.of(Requirement.of(key, Requirement.Operator.In, pick(r, values), pick(r, values))));
            case 3 -> new LabelSelector(Map.of(), List.of(Requirement.of(key, Requirement.Operator.NotIn, pick(r, values))));
            case 4 -> new LabelSelector(Map.of(), List.of(Requirement.of("missing", Requirement.Operator.DoesNotExist)));
            default -> new LabelSelector(Map.of(), List.of(Requirement.of(key, Requirement.Operator.Exists)));
        };
    }

    private static <T> T pick(Random r, List<T> xs) {
        return xs.get(r.nextInt(xs.size()));
    }
}
