package io.tabby.policy.conformance;

import io.tabby.policy.k8s.ManifestLoader;
import io.tabby.policy.model.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The upstream e2e model (kubernetes/kubernetes test/e2e/network/netpol/model.go): namespaces
 * x, y, z labelled {@code ns: <name>}, pods a, b, c labelled {@code pod: <name>}, each serving
 * TCP and UDP on 80 and 81 and SCTP on 80 behind named container ports
 * {@code serve-<port>-<proto>}. Pods are spread over two nodes so the dataplane test crosses
 * nodes as well as staying on one.
 */
public final class E2eModel {
    public static final List<String> NAMESPACES = List.of("x", "y", "z");
    public static final List<String> PODS = List.of("a", "b", "c");

    /** Which node hosts each pod, and its address (10.244.<node>.<n>). */
    public static final Map<String, String> NODE = Map.of(
            "x/a", "n1", "x/b", "n2", "x/c", "n1",
            "y/a", "n2", "y/b", "n1", "y/c", "n2",
            "z/a", "n1", "z/b", "n2", "z/c", "n1");

    private E2eModel() {}

    public static List<String> podKeys() {
        List<String> out = new ArrayList<>();
        for (String ns : NAMESPACES) {
            for (String p : PODS) {
                out.add(ns + "/" + p);
            }
        }
        return out;
    }

    public static String ip(String key) {
        int node = NODE.get(key).equals("n1") ? 1 : 2;
        int host = 10 + podKeys().indexOf(key);
        return "10.244." + node + "." + host;
    }

    /** The model as Kubernetes YAML: Namespaces and Pods with status.podIP and spec.nodeName. */
    public static String yaml() {
        StringBuilder sb = new StringBuilder();
        for (String ns : NAMESPACES) {
            sb.append("---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ").append(ns)
                    .append("\n  labels:\n    ns: ").append(ns).append('\n');
        }
        for (String key : podKeys()) {
            String ns = key.substring(0, 1);
            String pod = key.substring(2);
            sb.append("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: ").append(pod)
                    .append("\n  namespace: ").append(ns)
                    .append("\n  labels:\n    pod: ").append(pod)
                    .append("\nspec:\n  nodeName: ").append(NODE.get(key))
                    .append("\n  containers:\n");
            for (String[] pp : new String[][] {{"80", "TCP"}, {"80", "UDP"}, {"81", "TCP"}, {"81", "UDP"}, {"80", "SCTP"}}) {
                String name = "serve-" + pp[0] + "-" + pp[1].toLowerCase();
                sb.append("  - name: cont-").append(pp[0]).append('-').append(pp[1].toLowerCase())
                        .append("\n    image: agnhost\n    ports:\n    - name: ").append(name)
                        .append("\n      containerPort: ").append(pp[0])
                        .append("\n      protocol: ").append(pp[1]).append('\n');
            }
            sb.append("status:\n  podIP: ").append(ip(key)).append('\n');
        }
        return sb.toString();
    }

    /** The model plus {@code policies} (YAML), loaded; fails the test on any load error. */
    public static Cluster cluster(String policies) {
        ManifestLoader.Result r = new ManifestLoader().load(List.of(
                new ManifestLoader.Source("model.yaml", yaml()),
                new ManifestLoader.Source("policies.yaml", policies)));
        if (!r.errors().isEmpty()) {
            throw new AssertionError("scenario does not load: " + r.errors());
        }
        return r.cluster();
    }

    /** {@code c} with one pod's labels replaced. */
    public static Cluster relabel(Cluster c, String pod, Map<String, String> labels) {
        List<io.tabby.policy.model.Endpoint> eps = c.endpoints().stream()
                .map(e -> e.key().equals(pod) ? new io.tabby.policy.model.Endpoint(e.namespace(), e.name(), labels, e.ip(), e.ports(), e.node(), e.iface()) : e)
                .toList();
        return new Cluster(c.namespaces(), eps, c.policies());
    }

    /** {@code c} with one namespace's labels replaced. */
    public static Cluster relabelNamespace(Cluster c, String ns, Map<String, String> labels) {
        Map<String, io.tabby.policy.model.Namespace> nss = new java.util.HashMap<>(c.namespaces());
        nss.put(ns, new io.tabby.policy.model.Namespace(ns, labels));
        return new Cluster(nss, c.endpoints(), c.policies());
    }
}
