package io.tabby.cni.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.cni.handler.Kernel;
import io.tabby.cni.handler.NetlinkDataplane;
import io.tabby.cni.handler.VethNames;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.MemoryStore;
import io.tabby.cni.skel.Skel;
import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Json;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import io.tabby.testkit.Netns;
import io.tabby.testkit.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The installed executable ({@code cni-client/target/cni-install/tabby}: launcher, jlink'ed
 * runtime, class-data archive) exec'd as a runtime would, talking to the service's socket, with
 * the service's dataplane working in a lab node namespace. Each call's effect is checked in the
 * kernel with iproute2.
 */
@NetnsTest
class CniExecutableIT {
    static final Path EXECUTABLE = Path.of("..", "cni-client", "target", "cni-install", "tabby").toAbsolutePath().normalize();
    static final String CONF = "{\"cniVersion\":\"%s\",\"name\":\"k8s-pod-network\",\"type\":\"tabby\"%s}";

    record Run(int exit, String stdout, String stderr) {
        JsonNode json() {
            return Json.parseObject(stdout.getBytes(StandardCharsets.UTF_8), "plugin stdout");
        }
    }

    static Run exec(Path socket, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        assertThat(EXECUTABLE).as("the CNI install is built by cni-client's package phase").isExecutable();
        ProcessBuilder pb = new ProcessBuilder(EXECUTABLE.toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("TABBY_CNI_SOCKET", socket.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    static Map<String, String> env(String cmd, String container, Netns pod, String pod_name) {
        Map<String, String> e = new HashMap<>(Map.of("CNI_COMMAND", cmd, "CNI_CONTAINERID", container, "CNI_IFNAME", "eth0",
                "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=prod;K8S_POD_NAME=" + pod_name));
        if (pod != null) {
            e.put("CNI_NETNS", pod.path().toString());
        }
        return e;
    }

    @Test
    void the_executable_through_the_socket_with_the_specs_error_cases(Lab lab) throws Exception {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        Netns pa = lab.netns("pa");
        Netns pb = lab.netns("pb");
        Path socket = lab.dir().resolve("cni.sock");
        MemoryStore store = new MemoryStore(List.of(new IpPool("default", IpNet.parse("10.244.0.0/16"), 26, "all()", false, true)),
                IpamConfig.DEFAULT);
        String conf = String.format(CONF, "1.0.0", "");
        try (NetNs host = Kernel.openLabNamespace(node.netns())) {
            TabbyPlugin plugin = new TabbyPlugin(new Ipam(store), new NetlinkDataplane(host), PodDirectory.NONE, "n1", Map.of(),
                    Clock.systemUTC());
            try (CniServer server = CniServer.start(socket, new Skel(plugin))) {
                Run add = exec(socket, env("ADD", "ca", pa, "a"), conf);
                assertThat(add.exit()).as(add.toString()).isZero();
                JsonNode res = add.json();
                assertThat(res.path("cniVersion").asText()).isEqualTo("1.0.0");
                String ipA = res.path("ips").get(0).path("address").asText();
                assertThat(ipA).startsWith("10.244.").endsWith("/32");
                String cali = VethNames.host("prod", "a", "ca");
                assertThat(res.path("interfaces").get(0).path("name").asText()).isEqualTo(cali);
                assertThat(Kernel.addresses(pa, "eth0")).contains(ipA);
                assertThat(Kernel.routes(node.netns(), false, ipA)).singleElement()
                        .satisfies(r -> assertThat(r.path("dev").asText()).isEqualTo(cali));

                // The node's block is blackholed (proto 98) as soon as it is claimed.
                String block = store.blocks().getFirst().value().cidr().toString();
                assertThat(Kernel.routes(node.netns(), false, "proto", "98", "type", "blackhole"))
                        .extracting(r -> r.path("dst").asText()).containsExactly(block);

                // STATUS through the executable: ready; 51 while the node does not forward.
                String conf11 = String.format(CONF, "1.1.0", "");
                assertThat(exec(socket, Map.of("CNI_COMMAND", "STATUS"), conf11).exit()).isZero();
                node.netns().sysctl("net.ipv4.ip_forward", "0");
                Run limited = exec(socket, Map.of("CNI_COMMAND", "STATUS"), conf11);
                assertThat(limited.json().path("code").asInt()).as(limited.toString())
                        .isEqualTo(CniError.PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY);
                node.netns().sysctl("net.ipv4.ip_forward", "1");

                Run again = exec(socket, env("ADD", "ca", pa, "a"), conf);
                assertThat(again.stdout()).as("ADD twice: same result").isEqualTo(add.stdout());

                Run check = exec(socket, env("CHECK", "ca", pa, "a"), String.format(CONF, "1.0.0", ",\"prevResult\":" + add.stdout()));
                assertThat(check.exit()).as(check.toString()).isZero();

                Run malformed = exec(socket, env("ADD", "cx", pa, "x"), "{\"cniVersion\":\"1.0.0\",");
                assertThat(malformed.exit()).isEqualTo(1);
                assertThat(malformed.json().path("code").asInt()).isEqualTo(CniError.DECODE_FAILURE);

                Run noNetns = exec(socket, env("ADD", "cx", null, "x"), conf);
                assertThat(noNetns.json().path("code").asInt()).isEqualTo(CniError.INVALID_ENVIRONMENT);
                assertThat(noNetns.json().path("msg").asText()).contains("CNI_NETNS");

                Run badVersion = exec(socket, env("ADD", "cx", pa, "x"), String.format(CONF, "2.0.0", ""));
                assertThat(badVersion.json().path("code").asInt()).isEqualTo(CniError.INCOMPATIBLE_VERSION);

                Run delUnknown = exec(socket, env("DEL", "never", pb, "never"), conf);
                assertThat(delUnknown.exit()).isZero();
                assertThat(delUnknown.stdout()).isEmpty();

                Run addB = exec(socket, env("ADD", "cb", pb, "b"), conf);
                assertThat(addB.exit()).as(addB.toString()).isZero();
                String ipB = addB.json().path("ips").get(0).path("address").asText();
                assertThat(pa.ping(ipB.substring(0, ipB.indexOf('/')), Duration.ofSeconds(3))).isTrue();

                assertThat(exec(socket, env("DEL", "ca", pa, "a"), conf).exit()).isZero();
                assertThat(Kernel.link(pa, "eth0")).isEmpty();
                assertThat(Kernel.link(node.netns(), cali)).isEmpty();
                assertThat(exec(socket, env("DEL", "ca", pa, "a"), conf).exit()).as("DEL twice").isZero();

                Kernel.deleteNamespace(pb);
                Run delGone = exec(socket, env("DEL", "cb", pb, "b"), conf);
                assertThat(delGone.exit()).as("DEL after the namespace is gone: " + delGone).isZero();
                assertThat(store.blocks()).allSatisfy(v -> assertThat(v.value().allocations()).isEmpty());

                // GC gives the empty block back, and its blackhole goes.
                Run gc = exec(socket, Map.of("CNI_COMMAND", "GC"), String.format(CONF, "1.1.0", ",\"cni.dev/valid-attachments\":[]"));
                assertThat(gc.exit()).as(gc.toString()).isZero();
                assertThat(store.blocks()).isEmpty();
                assertThat(Kernel.routes(node.netns(), false, "proto", "98", "type", "blackhole")).isEmpty();
            }
            // The service is gone: ADD must fail at once with "try again later", STATUS say not ready.
            Run down = exec(socket, env("ADD", "cz", pa, "z"), conf);
            assertThat(down.json().path("code").asInt()).isEqualTo(CniError.TRY_AGAIN_LATER);
            assertThat(down.json().path("details").asText()).contains(socket.toString());
            Run status = exec(socket, Map.of("CNI_COMMAND", "STATUS"), String.format(CONF, "1.1.0", ""));
            assertThat(status.json().path("code").asInt()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE);
            Run version = exec(socket, Map.of("CNI_COMMAND", "VERSION"), "");
            assertThat(version.exit()).isZero();
            assertThat(version.json().path("supportedVersions").size()).isEqualTo(5);
            assertThat(Files.exists(socket)).isFalse();
        }
    }
}
