package io.tabby.policy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tabby.policy.model.Cidr;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.Namespace;
import io.tabby.policy.model.NetworkPolicy;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads ordinary Kubernetes YAML (multi-document files, {@code kind: List}) into a
 * {@link Cluster}: Namespaces, Pods, Deployments and NetworkPolicies; other kinds are ignored.
 * An object that fails validation is reported in {@link Result#errors()} and left out, and
 * everything else still loads: one bad policy never hides the others. Pods without
 * {@code status.podIP} get addresses from {@code 10.244.0.0/16} in the order they appear; pods
 * without {@code spec.nodeName} land on {@code node-1}. hostNetwork pods are node traffic, not
 * endpoints (netpol-semantics.md 1.1.7), and are left out.
 */
public final class ManifestLoader {
    public static final String DEFAULT_NODE = "node-1";
    private static final Cidr POOL = Cidr.parse("10.244.0.0/16");

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    /** One input: a name for messages (a file path) and its text. */
    public record Source(String name, String text) {}

    /** What loaded, and what did not, each error naming source, object and field. */
    public record Result(Cluster cluster, List<String> errors) {
        public Result {
            errors = List.copyOf(errors);
        }
    }

    public Result load(List<Source> sources) {
        List<String> errors = new ArrayList<>();
        List<Namespace> namespaces = new ArrayList<>();
        List<KubeObjects.PodSpec> pods = new ArrayList<>();
        List<NetworkPolicy> policies = new ArrayList<>();
        for (Source s : sources) {
            List<JsonNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(s.text())) {
                while (it.hasNext()) {
                    JsonNode doc = it.next();
                    if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                        flatten(doc, docs);
                    }
                }
            } catch (IOException | RuntimeException e) {
                errors.add(s.name() + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
                continue;
            }
            for (JsonNode doc : docs) {
                try {
                    switch (doc.path("kind").asText()) {
                        case "Namespace" -> namespaces.add(KubeObjects.namespace(doc));
                        case "Pod" -> pods.add(KubeObjects.pod(doc));
                        case "Deployment" -> pods.addAll(KubeObjects.deployment(doc));
                        case "NetworkPolicy" -> policies.add(KubeObjects.networkPolicy(doc));
                        default -> { }
                    }
                } catch (IllegalArgumentException e) {
                    errors.add(s.name() + ": " + e.getMessage());
                }
            }
        }
        return new Result(assemble(namespaces, pods, policies, errors), errors);
    }

    private static void flatten(JsonNode doc, List<JsonNode> out) {
        if (doc.path("kind").asText().equals("List") || doc.path("kind").asText().endsWith("List") && doc.has("items")) {
            doc.path("items").forEach(i -> flatten(i, out));
        } else {
            out.add(doc);
        }
    }

    /** Builds the cluster, dropping (and reporting) duplicates rather than failing as a whole. */
    private static Cluster assemble(List<Namespace> namespaces, List<KubeObjects.PodSpec> pods,
                                    List<NetworkPolicy> policies, List<String> errors) {
        List<Namespace> ns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Namespace n : namespaces) {
            if (seen.add(n.name())) {
                ns.add(n);
            } else {
                errors.add("Namespace " + n.name() + ": defined twice; the first one is used");
            }
        }
        Set<String> used = new HashSet<>();
        pods.stream().filter(p -> p.ip() != null).forEach(p -> used.add(p.ip()));
        BigInteger next = POOL.base().add(BigInteger.TWO);
        List<Endpoint> endpoints = new ArrayList<>();
        Set<String> podKeys = new HashSet<>();
        Set<String> ips = new HashSet<>();
        for (KubeObjects.PodSpec p : pods) {
            String key = p.namespace() + "/" + p.name();
            if (p.hostNetwork()) {
                continue;
            }
            if (!podKeys.add(key)) {
                errors.add("Pod " + key + ": defined twice; the first one is used");
                continue;
            }
            String ip = p.ip();
            if (ip == null) {
                while (used.contains(addr(next))) {
                    next = next.add(BigInteger.ONE);
                }
                ip = addr(next);
                used.add(ip);
            }
            if (!ips.add(ip)) {
                errors.add("Pod " + key + ": status.podIP: " + ip + " is already used by another pod");
                continue;
            }
            try {
                endpoints.add(new Endpoint(p.namespace(), p.name(), p.labels(), ip, p.ports(),
                        p.node() == null ? DEFAULT_NODE : p.node(), null));
            } catch (IllegalArgumentException e) {
                errors.add("Pod " + key + ": " + e.getMessage());
            }
        }
        List<NetworkPolicy> ps = new ArrayList<>();
        Set<String> policyKeys = new HashSet<>();
        for (NetworkPolicy p : policies) {
            if (policyKeys.add(p.key())) {
                ps.add(p);
            } else {
                errors.add("NetworkPolicy " + p.key() + ": defined twice; the first one is used");
            }
        }
        return Cluster.of(ns, endpoints, ps);
    }

    private static String addr(BigInteger v) {
        return new Cidr.Address(false, v).toString();
    }
}
