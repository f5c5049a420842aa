package io.tabby.cni.skel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Json;
import io.tabby.cni.types.Result;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drives the dispatcher with injected env and stdin, as cni's skel_test.go does. */
class SkelTest {
    final List<Request> seen = new ArrayList<>();
    final Skel skel = new Skel(new CniPlugin() {
        @Override
        public Result add(Request r) {
            seen.add(r);
            return new Result(List.of(new Result.Interface("eth0", null, null, r.netns())),
                    List.of(new Result.IpConfig(IpNet.parse("10.244.1.5/32"), null, 0)), List.of(), null);
        }

        @Override
        public void del(Request r) {
            seen.add(r);
        }

        @Override
        public void check(Request r) {
            seen.add(r);
            throw new CniError(CniError.CHECK_FAILED, "address missing", "10.244.1.5/32");
        }

        @Override
        public void status(Request r) {
            seen.add(r);
        }

        @Override
        public void gc(Request r) {
            seen.add(r);
        }
    });

    static Map<String, String> env(String cmd) {
        Map<String, String> e = new HashMap<>();
        e.put("CNI_COMMAND", cmd);
        e.put("CNI_CONTAINERID", "c0ffee");
        e.put("CNI_NETNS", "/run/netns/p1");
        e.put("CNI_IFNAME", "eth0");
        e.put("CNI_PATH", "/opt/cni/bin");
        e.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=prod;K8S_POD_NAME=db-0");
        return e;
    }

    static byte[] conf(String version) {
        return ("{\"cniVersion\":\"" + version + "\",\"name\":\"k8s-pod-network\",\"type\":\"tabby\"}").getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode json(String s) {
        return Json.parseObject(s.getBytes(StandardCharsets.UTF_8), "out");
    }

    @Test
    void add_prints_the_result_at_the_requested_version() {
        for (String v : List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")) {
            Outcome o = skel.run(env("ADD"), conf(v));
            assertThat(o.exitCode()).as(o.stdout()).isZero();
            JsonNode n = json(o.stdout());
            assertThat(n.path("cniVersion").asText()).isEqualTo(v);
            assertThat(n.path("ips").get(0).has("version")).isEqualTo(v.startsWith("0."));
        }
        Request r = seen.get(0);
        assertThat(r.podNamespace()).isEqualTo("prod");
        assertThat(r.podName()).isEqualTo("db-0");
        assertThat(r.handle()).isEqualTo("k8s-pod-network.c0ffee");
    }

    @Test
    void version_needs_no_config_and_lists_every_version() {
        Map<String, String> e = Map.of("CNI_COMMAND", "VERSION");
        Outcome o = skel.run(e, "{\"cniVersion\":\"1.1.0\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(o.exitCode()).isZero();
        assertThat(json(o.stdout()).path("supportedVersions").toString())
                .isEqualTo("[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]");
        assertThat(skel.run(e, new byte[0]).exitCode()).isZero();
    }

    @Test
    void unknown_version_is_code_1() {
        Outcome o = skel.run(env("ADD"), conf("9.9.9"));
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(json(o.stdout()).path("code").asInt()).isEqualTo(CniError.INCOMPATIBLE_VERSION);
        assertThat(json(o.stdout()).path("msg").asText()).contains("incompatible");
        assertThat(seen).isEmpty();
    }

    @Test
    void malformed_json_is_code_6() {
        Outcome o = skel.run(env("ADD"), "{\"cniVersion\":\"1.0.0\",".getBytes(StandardCharsets.UTF_8));
        JsonNode n = json(o.stdout());
        assertThat(n.path("code").asInt()).isEqualTo(CniError.DECODE_FAILURE);
        assertThat(n.path("cniVersion").asText()).isEqualTo("1.0.0");
    }

    @Test
    void missing_netns_is_code_4_for_add_but_fine_for_del() {
        Map<String, String> e = env("ADD");
        e.remove("CNI_NETNS");
        JsonNode n = json(skel.run(e, conf("1.1.0")).stdout());
        assertThat(n.path("code").asInt()).isEqualTo(CniError.INVALID_ENVIRONMENT);
        assertThat(n.path("msg").asText()).contains("CNI_NETNS");
        e.put("CNI_COMMAND", "DEL");
        assertThat(skel.run(e, conf("1.1.0"))).isEqualTo(Outcome.ok(""));
    }

    @Test
    void missing_name_is_code_7_and_bad_container_id_code_4() {
        Outcome o = skel.run(env("ADD"), "{\"cniVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(json(o.stdout()).path("code").asInt()).isEqualTo(CniError.INVALID_NETWORK_CONFIG);
        Map<String, String> e = env("ADD");
        e.put("CNI_CONTAINERID", "../etc");
        assertThat(json(skel.run(e, conf("1.0.0")).stdout()).path("code").asInt()).isEqualTo(CniError.INVALID_ENVIRONMENT);
        e = env("ADD");
        e.put("CNI_IFNAME", "a/b");
        assertThat(json(skel.run(e, conf("1.0.0")).stdout()).path("code").asInt()).isEqualTo(CniError.INVALID_ENVIRONMENT);
    }

    @Test
    void commands_gated_by_version() {
        assertThat(json(skel.run(env("CHECK"), conf("0.3.1")).stdout()).path("code").asInt()).isEqualTo(1);
        assertThat(json(skel.run(env("STATUS"), conf("1.0.0")).stdout()).path("code").asInt()).isEqualTo(1);
        assertThat(json(skel.run(env("GC"), conf("1.0.0")).stdout()).path("code").asInt()).isEqualTo(1);
        assertThat(skel.run(env("STATUS"), conf("1.1.0"))).isEqualTo(Outcome.ok(""));
        assertThat(seen).hasSize(1);
    }

    @Test
    void plugin_errors_pass_through_with_their_code() {
        Outcome o = skel.run(env("CHECK"), conf("1.0.0"));
        assertThat(o.exitCode()).isEqualTo(1);
        JsonNode n = json(o.stdout());
        assertThat(n.path("code").asInt()).isEqualTo(CniError.CHECK_FAILED);
        assertThat(n.path("details").asText()).isEqualTo("10.244.1.5/32");
    }

    @Test
    void unknown_command_and_bad_args() {
        assertThat(json(skel.run(env("FROB"), conf("1.0.0")).stdout()).path("code").asInt()).isEqualTo(CniError.INVALID_ENVIRONMENT);
        Map<String, String> e = env("ADD");
        e.put("CNI_ARGS", "K8S_POD_NAME");
        assertThat(json(skel.run(e, conf("1.0.0")).stdout()).path("code").asInt()).isEqualTo(CniError.INVALID_ENVIRONMENT);
    }

    @Test
    void gc_gets_the_valid_attachments() {
        byte[] c = ("{\"cniVersion\":\"1.1.0\",\"name\":\"net\",\"cni.dev/valid-attachments\":"
                + "[{\"containerID\":\"a\",\"ifname\":\"eth0\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(skel.run(Map.of("CNI_COMMAND", "GC"), c)).isEqualTo(Outcome.ok(""));
        assertThat(seen.get(0).conf().validAttachments()).extracting(a -> a.containerId()).containsExactly("a");
    }
}
