package io.tabby.policy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.ContainerPort;
import io.tabby.policy.model.Namespace;
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
import java.util.Set;
import java.util.TreeSet;

/**
 * Converts one Kubernetes object, as a Jackson tree, into the model. The tree may come from YAML
 * ({@link ManifestLoader}) or from a Fabric8 object ({@code mapper.valueToTree(fabric8Policy)}),
 * so the agent and the CLI share this code. Every error is an {@link InvalidObjectException}
 * naming the object and the field. Validation mirrors k8s
 * {@code pkg/apis/networking/validation/validation.go}; defaulting mirrors
 * {@code pkg/apis/networking/v1/defaults.go} (protocol TCP, policyTypes).
 */
public final class KubeObjects {
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> NP_SPEC = Set.of("podSelector", "policyTypes", "ingress", "egress");
    private static final Set<String> INGRESS_RULE = Set.of("from", "ports");
    private static final Set<String> EGRESS_RULE = Set.of("to", "ports");
    private static final Set<String> PEER = Set.of("podSelector", "namespaceSelector", "ipBlock");
    private static final Set<String> IP_BLOCK = Set.of("cidr", "except");
    private static final Set<String> PORT = Set.of("protocol", "port", "endPort");
    private static final Set<String> SELECTOR = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> EXPRESSION = Set.of("key", "operator", "values");

    private KubeObjects() {}

    /** A pod's policy-relevant facts before it has an address or interface assigned. */
    public record PodSpec(String namespace, String name, Map<String, String> labels, String ip,
                          List<ContainerPort> ports, String node, boolean hostNetwork) {}

    static Field root(String kind, JsonNode obj) {
        JsonNode md = obj.path("metadata");
        String name = md.path("name").asText("<unnamed>");
        String ns = md.path("namespace").asText("");
        String id = kind.equals("Namespace") || ns.isEmpty() ? name : ns + "/" + name;
        return new Field(kind, id, "", obj);
    }

    public static Namespace namespace(JsonNode obj) {
        Field f = root("Namespace", obj);
        Field md = f.get("metadata");
        String name = md.get("name").requiredText();
        return md.check(m -> new Namespace(name, m.get("labels").stringMap()));
    }

    /** A Pod ({@code kind: Pod}); the namespace defaults to {@code default}. */
    public static PodSpec pod(JsonNode obj) {
        Field f = root("Pod", obj);
        Field md = f.get("metadata");
        String ns = md.get("namespace").text("default");
        String name = md.get("name").requiredText();
        Field spec = f.get("spec");
        String ip = f.get("status").get("podIP").text();
        if (ip != null) {
            f.get("status").get("podIP").check(x -> Cidr.Address.parse(ip));
        }
        return new PodSpec(ns, name, md.get("labels").check(Field::stringMap), ip, containerPorts(spec),
                spec.get("nodeName").text(), spec.get("hostNetwork").bool());
    }

    /** The pods a Deployment would create: {@code <name>-0 .. <name>-(replicas-1)}. */
    public static List<PodSpec> deployment(JsonNode obj) {
        Field f = root("Deployment", obj);
        Field md = f.get("metadata");
        String ns = md.get("namespace").text("default");
        String name = md.get("name").requiredText();
        Field spec = f.get("spec");
        int replicas = spec.get("replicas").integer(1);
        if (replicas < 0) {
            throw spec.get("replicas").error("must not be negative");
        }
        Field template = spec.get("template");
        Map<String, String> labels = template.get("metadata").get("labels").stringMap();
        Field podSpec = template.get("spec");
        List<ContainerPort> ports = containerPorts(podSpec);
        List<PodSpec> out = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            out.add(new PodSpec(ns, name + "-" + i, labels, null, ports, podSpec.get("nodeName").text(),
                    podSpec.get("hostNetwork").bool()));
        }
        return out;
    }

    private static List<ContainerPort> containerPorts(Field podSpec) {
        List<ContainerPort> out = new ArrayList<>();
        for (Field c : podSpec.get("containers").list()) {
            for (Field p : c.get("ports").list()) {
                out.add(p.check(x -> new ContainerPort(x.get("name").text(), x.get("containerPort").integer(0),
                        Protocol.parse(x.get("protocol").text("TCP")))));
            }
        }
        return out;
    }

    public static NetworkPolicy networkPolicy(JsonNode obj) {
        Field f = root("NetworkPolicy", obj).only(TOP);
        Field md = f.get("metadata");
        String ns = md.get("namespace").text("default");
        String name = md.get("name").requiredText();
        Field spec = f.get("spec").only(NP_SPEC);
        if (!spec.present()) {
            throw spec.error("required");
        }
        LabelSelector podSelector = selector(spec.get("podSelector"));
        List<PolicyType> types = spec.get("policyTypes").list(t -> t.check(x -> PolicyType.parse(x.text())));
        if (types.size() > 2 || new TreeSet<>(types).size() != types.size()) {
            throw spec.get("policyTypes").error("at most Ingress and Egress, each once");
        }
        List<Rule> ingress = spec.get("ingress").list(r -> rule(r.only(INGRESS_RULE), "from"));
        List<Rule> egress = spec.get("egress").list(r -> rule(r.only(EGRESS_RULE), "to"));
        return md.check(x -> NetworkPolicy.defaulted(ns, name, podSelector, types, ingress, egress));
    }

    private static Rule rule(Field r, String peersField) {
        List<PortMatch> ports = r.get("ports").list(KubeObjects::port);
        List<Peer> peers = r.get(peersField).list(KubeObjects::peer);
        return new Rule(ports, peers);
    }

    private static PortMatch port(Field p) {
        p.only(PORT);
        Protocol proto = p.get("protocol").check(x -> Protocol.parse(x.text("TCP")));
        Field port = p.get("port");
        Field endPort = p.get("endPort");
        if (!port.present()) {
            if (endPort.present()) {
                throw endPort.error("endPort needs a numeric port");
            }
            return PortMatch.all(proto);
        }
        if (port.node().isTextual()) {
            if (endPort.present()) {
                throw endPort.error("endPort cannot be used with the named port \"" + port.text() + "\"");
            }
            return port.check(x -> PortMatch.named(proto, x.text()));
        }
        int from = port.integer(0);
        if (endPort.present()) {
            int to = endPort.integer(0);
            return endPort.check(x -> new PortMatch(proto, new PortMatch.Range(from, to)));
        }
        return port.check(x -> PortMatch.port(proto, from));
    }

    private static Peer peer(Field p) {
        p.only(PEER);
        Field ipBlock = p.get("ipBlock");
        Field podSel = p.get("podSelector");
        Field nsSel = p.get("namespaceSelector");
        if (ipBlock.present()) {
            if (podSel.present() || nsSel.present()) {
                throw p.error("ipBlock may not be combined with podSelector or namespaceSelector");
            }
            ipBlock.only(IP_BLOCK);
            Cidr cidr = ipBlock.get("cidr").check(x -> Cidr.parse(x.requiredText()));
            List<Field> exceptFields = ipBlock.get("except").list();
            List<Cidr> except = new ArrayList<>();
            for (Field e : exceptFields) {
                Cidr c = e.check(x -> Cidr.parse(x.text()));
                e.check(x -> new Peer.IpBlock(cidr, List.of(c)));   // names the offending entry
                except.add(c);
            }
            return new Peer.IpBlock(cidr, except);
        }
        if (!podSel.present() && !nsSel.present()) {
            throw p.error("a peer needs podSelector, namespaceSelector or ipBlock");
        }
        Optional<LabelSelector> ns = nsSel.present() ? Optional.of(selector(nsSel)) : Optional.empty();
        return new Peer.Pods(ns, podSel.present() ? selector(podSel) : LabelSelector.EVERYTHING);
    }

    static LabelSelector selector(Field s) {
        s.only(SELECTOR);
        Map<String, String> labels = s.get("matchLabels").check(Field::stringMap);
        s.get("matchLabels").check(x -> LabelSelector.ofLabels(labels));
        List<Requirement> exprs = s.get("matchExpressions").list(e -> {
            e.only(EXPRESSION);
            String key = e.get("key").requiredText();
            Requirement.Operator op = e.get("operator").check(x -> Requirement.Operator.parse(x.requiredText()));
            List<String> values = e.get("values").list(v -> v.text());
            return e.check(x -> new Requirement(key, op, new TreeSet<>(values)));
        });
        return new LabelSelector(labels, exprs);
    }
}
