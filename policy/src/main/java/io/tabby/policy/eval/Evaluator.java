package io.tabby.policy.eval;

import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.NetworkPolicy;
import io.tabby.policy.model.Peer;
import io.tabby.policy.model.PolicyType;
import io.tabby.policy.model.PortMatch;
import io.tabby.policy.model.Protocol;
import io.tabby.policy.model.Rule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Evaluates NetworkPolicy semantics directly, without compiling anything: the explainer's
 * engine and the oracle the dataplane tests compare against. Pure; one instance per cluster
 * snapshot. The rules it implements are netpol-semantics.md section 1:
 * <ul>
 *   <li>a pod is isolated for a direction iff some policy in its namespace selects it and has that
 *       direction in its (defaulted) policyTypes; a non-isolated direction allows everything;</li>
 *   <li>an isolated direction allows the union of the rules of every policy isolating it;</li>
 *   <li>a connection needs the client's egress and the server's ingress to allow it;</li>
 *   <li>a pod talking to itself and a node talking to its own pods are always allowed.</li>
 * </ul>
 */
public final class Evaluator {
    private final Cluster cluster;

    public Evaluator(Cluster cluster) {
        this.cluster = cluster;
    }

    public Cluster cluster() {
        return cluster;
    }

    public Explanation explain(Endpoint from, Endpoint to, Protocol protocol, int port) {
        return explain(new Party.Pod(from), new Party.Pod(to), protocol, port);
    }

    public Explanation explain(Party from, Party to, Protocol protocol, int port) {
        Side egress;
        Side ingress;
        if (from instanceof Party.Pod(Endpoint a) && to instanceof Party.Pod(Endpoint b) && a.key().equals(b.key())) {
            egress = new Side(PolicyType.Egress, Side.Outcome.SAME_POD, List.of(), List.of());
            ingress = new Side(PolicyType.Ingress, Side.Outcome.SAME_POD, List.of(), List.of());
        } else {
            egress = switch (from) {
                case Party.Pod(Endpoint a) -> side(PolicyType.Egress, a, to, to, protocol, port);
                case Party.Host h -> new Side(PolicyType.Egress, Side.Outcome.NOT_A_POD, List.of(), List.of());
            };
            ingress = switch (to) {
                case Party.Pod(Endpoint b) when from instanceof Party.Host h && b.node().equals(h.node()) ->
                        new Side(PolicyType.Ingress, Side.Outcome.LOCAL_NODE, List.of(), List.of());
                case Party.Pod(Endpoint b) -> side(PolicyType.Ingress, b, from, to, protocol, port);
                case Party.Host h -> new Side(PolicyType.Ingress, Side.Outcome.NOT_A_POD, List.of(), List.of());
            };
        }
        return new Explanation(from, to, protocol, port, egress, ingress);
    }

    /**
     * Judges one direction for {@code subject}: {@code peer} is the other end, {@code server} the
     * destination, on whose own container ports named ports resolve (for ingress the subject, for
     * egress the peer).
     */
    private Side side(PolicyType dir, Endpoint subject, Party peer, Party server, Protocol protocol, int port) {
        List<String> isolating = new ArrayList<>();
        List<Side.RuleRef> allowing = new ArrayList<>();
        for (NetworkPolicy p : cluster.policies()) {
            if (!p.isolates(dir) || !p.selects(subject)) {
                continue;
            }
            isolating.add(p.key());
            List<Rule> rules = p.rules(dir);
            for (int i = 0; i < rules.size(); i++) {
                Rule r = rules.get(i);
                String portHit = portMatch(r, server, protocol, port);
                String peerHit = portHit == null ? null : peerMatch(r, p.namespace(), peer);
                if (peerHit != null) {
                    allowing.add(new Side.RuleRef(p.key(), dir, i, peerHit, portHit));
                }
            }
        }
        Side.Outcome o = isolating.isEmpty() ? Side.Outcome.NOT_ISOLATED
                : allowing.isEmpty() ? Side.Outcome.DENIED : Side.Outcome.ALLOWED;
        return new Side(dir, o, isolating, allowing);
    }

    /** Which port entry of the rule matches, described; null when none does. */
    private static String portMatch(Rule r, Party server, Protocol protocol, int port) {
        if (r.ports().isEmpty()) {
            return "any";
        }
        for (PortMatch pm : r.ports()) {
            if (pm.protocol() != protocol) {
                continue;
            }
            boolean hit = switch (pm.ports()) {
                case PortMatch.AllPorts a -> true;
                case PortMatch.Range range -> port >= range.from() && port <= range.to();
                // A named port resolves on the destination pod; a non-pod destination has none.
                case PortMatch.Named n -> server instanceof Party.Pod(Endpoint e)
                        && e.namedPort(n.name(), protocol).map(v -> v == port).orElse(false);
            };
            if (hit) {
                return pm.toString();
            }
        }
        return null;
    }

    /** Which peer of the rule matches {@code other}, described; null when none does. */
    private String peerMatch(Rule r, String policyNamespace, Party other) {
        if (r.peers().isEmpty()) {
            return "any";
        }
        for (Peer peer : r.peers()) {
            if (peerMatches(peer, policyNamespace, other)) {
                return switch (peer) {
                    case Peer.Pods pods -> pods.canonical(policyNamespace);
                    case Peer.IpBlock b -> b.canonical();
                };
            }
        }
        return null;
    }

    /** True when {@code peer}, written in a policy of {@code policyNamespace}, covers {@code other}. */
    public boolean peerMatches(Peer peer, String policyNamespace, Party other) {
        return switch (peer) {
            case Peer.Pods pods -> other instanceof Party.Pod(Endpoint e)
                    && cluster.peerNamespaceMatches(pods, policyNamespace, e.namespace())
                    && pods.podSelector().matches(e.labels());
            case Peer.IpBlock b -> b.contains(other.address());
        };
    }

    /** Every ordered pair of pods, for one protocol and port. */
    public Matrix matrix(Protocol protocol, int port) {
        List<Endpoint> pods = cluster.endpoints();
        BitSet allowed = new BitSet(pods.size() * pods.size());
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                if (explain(pods.get(i), pods.get(j), protocol, port).allowed()) {
                    allowed.set(i * pods.size() + j);
                }
            }
        }
        return new Matrix(protocol, port, pods.stream().map(Endpoint::key).toList(), allowed);
    }
}
