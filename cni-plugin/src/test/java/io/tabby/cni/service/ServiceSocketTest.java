package io.tabby.cni.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.cni.client.Client;
import io.tabby.cni.client.Wire;
import io.tabby.cni.ipam.Allocation;
import io.tabby.cni.ipam.Block;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.MemoryStore;
import io.tabby.cni.skel.Skel;
import io.tabby.cni.types.CniError;
import io.tabby.cni.types.CniVersion;
import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec's error cases, through the client's wire and the service's socket (fake dataplane). */
class ServiceSocketTest {
    static final String CONF = "{\"cniVersion\":\"%s\",\"name\":\"k8s-pod-network\",\"type\":\"tabby\"%s}";

    @TempDir
    Path dir;
    final FakeDataplane dataplane = new FakeDataplane();
    final MemoryStore store = new MemoryStore(List.of(new IpPool("default", IpNet.parse("10.244.0.0/16"), 26, "all()", false, true)),
            IpamConfig.DEFAULT);
    final Map<String, Map<String, String>> podAnnotations = new HashMap<>();
    CniServer server;

    @BeforeEach
    void start() {
        PodDirectory pods = (ns, pod) -> Optional.ofNullable(podAnnotations.get(ns + "/" + pod));
        TabbyPlugin plugin = new TabbyPlugin(new Ipam(store), dataplane, pods, "n1", Map.of(),
                Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC));
        server = CniServer.start(dir.resolve("run/cni.sock"), new Skel(plugin));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Map<String, String> env(String cmd, String container, String netns) {
        Map<String, String> e = new HashMap<>(Map.of("CNI_COMMAND", cmd, "CNI_CONTAINERID", container, "CNI_IFNAME", "eth0",
                "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=prod;K8S_POD_NAME=pod-" + container));
        if (netns != null) {
            e.put("CNI_NETNS", netns);
            dataplane.namespaces.add(netns);
        }
        return e;
    }

    Wire.Response call(Map<String, String> env, String stdin) {
        return Client.call(server.socket(), env, stdin.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(Wire.Response r) {
        return Json.parseObject(r.stdout(), "response");
    }

    static String conf(String version) {
        return String.format(CONF, version, "");
    }

    @Test
    void add_twice_gives_the_same_result_and_check_passes() {
        Wire.Response a = call(env("ADD", "c1", "/run/netns/p1"), conf("1.1.0"));
        assertThat(a.exitCode()).as(new String(a.stdout())).isZero();
        Wire.Response b = call(env("ADD", "c1", "/run/netns/p1"), conf("1.1.0"));
        assertThat(b.stdout()).isEqualTo(a.stdout());
        JsonNode res = json(a);
        assertThat(res.path("interfaces").get(0).path("name").asText()).startsWith("cali").hasSize(15);
        assertThat(res.path("ips").get(0).path("address").asText()).startsWith("10.244.").endsWith("/32");
        assertThat(res.path("ips").get(0).path("interface").asInt()).isEqualTo(1);

        String withPrev = String.format(CONF, "1.1.0", ",\"prevResult\":" + res);
        assertThat(call(env("CHECK", "c1", "/run/netns/p1"), withPrev).exitCode()).isZero();
        dataplane.attached.clear();
        Wire.Response broken = call(env("CHECK", "c1", "/run/netns/p1"), withPrev);
        assertThat(json(broken).path("code").asInt()).isEqualTo(CniError.CHECK_FAILED);
    }

    @Test
    void malformed_json_missing_netns_unknown_version() {
        assertThat(json(call(env("ADD", "c1", "/run/netns/p1"), "{\"cniVersion\": \"1.0.0\", name")).path("code").asInt())
                .isEqualTo(CniError.DECODE_FAILURE);
        Wire.Response missing = call(env("ADD", "c1", null), conf("1.0.0"));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(json(missing).path("code").asInt()).isEqualTo(CniError.INVALID_ENVIRONMENT);
        assertThat(json(missing).path("msg").asText()).contains("CNI_NETNS");
        assertThat(json(call(env("ADD", "c1", "/run/netns/p1"), conf("0.2.0"))).path("code").asInt())
                .isEqualTo(CniError.INCOMPATIBLE_VERSION);
        assertThat(store.blocks()).isEmpty();
    }

    @Test
    void del_of_unknown_container_and_after_the_netns_is_gone_succeed() {
        Wire.Response unknown = call(env("DEL", "never-added", "/run/netns/nope"), conf("1.0.0"));
        assertThat(unknown.exitCode()).isZero();
        assertThat(unknown.stdout()).isEmpty();

        assertThat(call(env("ADD", "c2", "/run/netns/p2"), conf("1.0.0")).exitCode()).isZero();
        dataplane.namespaces.remove("/run/netns/p2");
        Map<String, String> gone = env("DEL", "c2", null);
        assertThat(call(gone, conf("1.0.0")).exitCode()).isZero();
        assertThat(allocations()).isEmpty();
        assertThat(call(gone, conf("1.0.0")).exitCode()).isZero();
    }

    @Test
    void failed_dataplane_releases_the_address() {
        dataplane.failNextAdd = new CniError(CniError.DATAPLANE_FAILURE, "veth create failed", "EEXIST");
        Wire.Response r = call(env("ADD", "c3", "/run/netns/p3"), conf("1.0.0"));
        assertThat(json(r).path("code").asInt()).isEqualTo(CniError.DATAPLANE_FAILURE);
        assertThat(allocations()).isEmpty();
    }

    @Test
    void annotation_asks_for_a_specific_address() {
        podAnnotations.put("prod/pod-c4", Map.of("ipam.tabby.io/ipAddrs", "[\"10.244.7.7\"]"));
        JsonNode res = json(call(env("ADD", "c4", "/run/netns/p4"), conf("0.4.0")));
        assertThat(res.path("ips").get(0).path("address").asText()).isEqualTo("10.244.7.7/32");
        assertThat(res.path("ips").get(0).path("version").asText()).isEqualTo("4");
    }

    @Test
    void status_and_gc() {
        assertThat(call(env("STATUS", "x", null), conf("1.1.0")).exitCode()).isZero();
        call(env("ADD", "keep", "/run/netns/k"), conf("1.1.0"));
        call(env("ADD", "drop", "/run/netns/d"), conf("1.1.0"));
        String gc = String.format(CONF, "1.1.0", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]");
        assertThat(call(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin"), gc).exitCode()).isZero();
        assertThat(allocations()).extracting(Allocation::handle).containsExactly("k8s-pod-network.keep");
    }

    @Test
    void status_without_pools_is_code_50() {
        restartWith(new MemoryStore(List.of(), IpamConfig.DEFAULT));
        assertThat(json(call(env("STATUS", "x", null), conf("1.1.0"))).path("code").asInt()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE);
    }

    @Test
    void status_is_51_when_the_dataplane_reports_limited_connectivity() {
        dataplane.statusError = new CniError(CniError.PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY, "forwarding is off on the node", "x");
        JsonNode r = json(call(env("STATUS", "x", null), conf("1.1.0")));
        assertThat(r.path("code").asInt()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY);
        assertThat(r.path("msg").asText()).contains("forwarding");
    }

    /**
     * One /26 pool whose only block another node holds: with strict affinity this node can get no
     * address (50); without it, it would borrow, so STATUS is ready until the block is full.
     */
    @Test
    void status_is_50_when_no_address_is_left_for_this_node() {
        IpPool small = new IpPool("small", IpNet.parse("10.9.0.0/26"), 26, "all()", false, true);
        for (boolean strict : new boolean[] {true, false}) {
            MemoryStore s = new MemoryStore(List.of(small), new IpamConfig(strict, 20));
            Block theirs = Block.empty(IpNet.parse("10.9.0.0/26"), "n2");
            s.create(theirs.allocate(0, new Allocation("k8s-pod-network.other", "n2", "prod", "other", 1)));
            restartWith(s);
            Wire.Response r = call(env("STATUS", "x", null), conf("1.1.0"));
            assertThat(s.blocks()).as("the probe writes nothing").singleElement()
                    .satisfies(v -> assertThat(v.value().allocations()).hasSize(1));
            if (strict) {
                assertThat(json(r).path("code").asInt()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE);
                assertThat(json(r).path("details").asText()).contains("strict affinity");
            } else {
                assertThat(r.exitCode()).as("borrowing is possible").isZero();
                Block full = s.blocks().getFirst().value();
                for (int i = 1; i < 64; i++) {
                    full = full.allocate(i, new Allocation("k8s-pod-network.o" + i, "n2", "prod", "o" + i, 1));
                }
                s.update(s.blocks().getFirst(), full);
                assertThat(json(call(env("STATUS", "x", null), conf("1.1.0"))).path("details").asText()).contains("exhausted");
            }
        }
    }

    private void restartWith(MemoryStore s) {
        server.close();
        TabbyPlugin p = new TabbyPlugin(new Ipam(s), dataplane, PodDirectory.NONE, "n1", Map.of(), Clock.systemUTC());
        server = CniServer.start(dir.resolve("run/cni-" + System.nanoTime() + ".sock"), new Skel(p));
    }

    @Test
    void a_claimed_block_is_blackholed_once_and_unblackholed_when_gc_releases_it() {
        assertThat(call(env("ADD", "a", "/run/netns/a"), conf("1.1.0")).exitCode()).isZero();
        assertThat(call(env("ADD", "b", "/run/netns/b"), conf("1.1.0")).exitCode()).isZero();
        IpNet block = store.blocks().getFirst().value().cidr();
        assertThat(dataplane.blackholes).containsExactly(block);
        assertThat(dataplane.blockRouteSyncs).as("the second ADD's block was already blackholed").hasValue(1);
        call(env("DEL", "a", "/run/netns/a"), conf("1.1.0"));
        call(env("DEL", "b", "/run/netns/b"), conf("1.1.0"));
        assertThat(dataplane.blackholes).as("DEL keeps the block").containsExactly(block);
        String gc = String.format(CONF, "1.1.0", ",\"cni.dev/valid-attachments\":[]");
        assertThat(call(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin"), gc).exitCode()).isZero();
        assertThat(store.blocks()).as("GC gave the empty block back").isEmpty();
        assertThat(dataplane.blackholes).isEmpty();
    }

    @Test
    void the_client_answers_version_alone_exactly_as_the_service_does() {
        Wire.Response local = Client.call(dir.resolve("absent.sock"), Map.of("CNI_COMMAND", "VERSION"), new byte[0]);
        Wire.Response remote = call(Map.of("CNI_COMMAND", "VERSION"), "");
        assertThat(new String(local.stdout(), StandardCharsets.UTF_8)).isEqualTo(CniVersion.versionInfoJson());
        assertThat(remote.stdout()).isEqualTo(local.stdout());
    }

    List<Allocation> allocations() {
        return store.blocks().stream().flatMap(v -> v.value().allocations().values().stream()).toList();
    }
}
