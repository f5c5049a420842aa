package io.tabby.policy.dataplane;

import io.tabby.policy.conformance.E2eModel;
import io.tabby.policy.eval.Matrix;
import io.tabby.policy.model.Cluster;
import io.tabby.policy.model.Endpoint;
import io.tabby.policy.model.Protocol;
import io.tabby.testkit.Eventually;
import io.tabby.testkit.ExecResult;
import io.tabby.testkit.Fabric;
import io.tabby.testkit.Lab;
import io.tabby.testkit.Netns;
import io.tabby.testkit.Node;
import io.tabby.testkit.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The e2e model on a real dataplane: two node namespaces on one fabric with routes to each
 * other's pod /24, the nine pods spread over them as Calico-style veth pods, and in every pod
 * TCP servers on 80 and 81 (socat), a UDP responder on both and an SCTP INIT responder on 80 (raw sockets,
 * since this kernel has no SCTP sockets). Probes run from every pod in parallel with a one
 * second timeout and give an observed {@link Matrix}.
 */
final class E2eLab {
    static final List<String> NODES = List.of("n1", "n2");

    final Lab lab;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    final Map<String, Pod> pods = new LinkedHashMap<>();
    private final Path sctpProbe;
    private final Path udpServer;

    E2eLab(Lab lab) {
        this.lab = lab;
        this.sctpProbe = copyResource(lab.dir(), "sctp_probe.py");
        this.udpServer = copyResource(lab.dir(), "udp_ok.py");
        Fabric fabric = lab.fabric();
        nodes.put("n1", lab.node("n1", fabric, "10.99.0.11/24", "10.99.0.1"));
        nodes.put("n2", lab.node("n2", fabric, "10.99.0.12/24", "10.99.0.1"));
        nodes.get("n1").netns().ip("route", "add", "10.244.2.0/24", "via", "10.99.0.12");
        nodes.get("n2").netns().ip("route", "add", "10.244.1.0/24", "via", "10.99.0.11");
        for (String key : E2eModel.podKeys()) {
            Node n = nodes.get(E2eModel.NODE.get(key));
            Pod p = n.pod(key.replace('/', '-'), E2eModel.ip(key));
            pods.put(key, p);
            Path log = lab.dir().resolve(key.replace('/', '-') + ".log");
            for (String port : List.of("80", "81")) {
                p.netns().spawn(log, "socat", "TCP4-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:echo ok");
            }
            p.netns().spawn(log, "python3", udpServer.toString(), "80", "81");
            p.netns().spawn(log, "python3", sctpProbe.toString(), "serve", "80");
        }
        for (Map.Entry<String, Pod> e : pods.entrySet()) {
            Netns ns = e.getValue().netns();
            Eventually.await("servers listening in " + e.getKey(), Duration.ofSeconds(20),
                    () -> serversUp(ns.exec("ss", "-Hlntuwa").stdout()), () -> ns.exec("ss", "-Hlntuwa").stdout());
        }
    }

    /** TCP and UDP on 80 and 81, and the raw SCTP socket. */
    private static boolean serversUp(String ss) {
        List<String> lines = ss.lines().toList();
        for (String proto : List.of("tcp", "udp")) {
            for (String port : List.of(":80 ", ":81 ")) {
                if (lines.stream().noneMatch(l -> l.startsWith(proto) && l.contains(port))) {
                    return false;
                }
            }
        }
        return lines.stream().anyMatch(l -> l.startsWith("raw") || l.startsWith("p_raw"));
    }

    /** The model with {@code policies}, its endpoints pointing at the lab's real host veths. */
    Cluster cluster(String policies) {
        Cluster c = E2eModel.cluster(policies);
        List<Endpoint> eps = c.endpoints().stream()
                .map(e -> new Endpoint(e.namespace(), e.name(), e.labels(), e.ip(), e.ports(), e.node(), pods.get(e.key()).hostVeth()))
                .toList();
        return new Cluster(c.namespaces(), eps, c.policies());
    }

    /** Forgets tracked flows on every node so one scenario's connections never help the next. */
    void flushConntrack() {
        nodes.values().forEach(n -> n.netns().exec("conntrack", "-F"));
    }

    /** Probes every ordered pair except a pod to itself (reported allowed, as e2e ignores it). */
    Matrix probe(Protocol protocol, int port) {
        List<String> keys = E2eModel.podKeys();
        List<CompletableFuture<Set<String>>> rows = new ArrayList<>();
        for (String from : keys) {
            rows.add(CompletableFuture.supplyAsync(() -> probeFrom(from, protocol, port), r -> Thread.ofVirtual().start(r)));
        }
        Set<String> ok = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            for (String to : rows.get(i).join()) {
                ok.add(keys.get(i) + ">" + to);
            }
        }
        return Matrix.build(protocol, port, keys, (f, t) -> f.equals(t) || ok.contains(f + ">" + t));
    }

    private Set<String> probeFrom(String from, Protocol protocol, int port) {
        return probe(pods.get(from).netns(), E2eModel.podKeys().stream().filter(to -> !to.equals(from)).toList(), protocol, port);
    }

    /**
     * Probes every pod from each node's own namespace: the node's own pods must always answer
     * (the local-node exception), the other node is an ordinary non-pod source.
     */
    Set<String> probeFromNodes(Protocol protocol, int port) {
        Set<String> ok = new HashSet<>();
        for (Map.Entry<String, Node> n : nodes.entrySet()) {
            probe(n.getValue().netns(), E2eModel.podKeys(), protocol, port).forEach(to -> ok.add(n.getKey() + ">" + to));
        }
        return ok;
    }

    private Set<String> probe(Netns from, List<String> targets, Protocol protocol, int port) {
        StringBuilder script = new StringBuilder();
        for (String to : targets) {
            String ip = E2eModel.ip(to);
            String cmd = switch (protocol) {
                case TCP -> "nc -z -w 1 " + ip + " " + port;
                case UDP -> "echo x | socat -T1 - UDP4:" + ip + ":" + port + " | grep -q ok";
                case SCTP -> "python3 " + sctpProbe + " probe " + ip + " " + port + " 1";
            };
            script.append("( if ").append(cmd).append(" >/dev/null 2>&1; then echo 'OK ").append(to).append("'; fi ) &\n");
        }
        script.append("wait\n");
        ExecResult r = from.exec("sh", "-c", script.toString());
        Set<String> ok = new HashSet<>();
        r.stdout().lines().filter(l -> l.startsWith("OK ")).forEach(l -> ok.add(l.substring(3).strip()));
        return ok;
    }

    private static Path copyResource(Path dir, String name) {
        try (InputStream in = E2eLab.class.getResourceAsStream("/" + name)) {
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
