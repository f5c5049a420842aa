package io.tabby.cni.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.tabby.cni.handler.Kernel;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.Versioned;
import io.tabby.cni.ipam.k8s.KubernetesStore;
import io.tabby.cni.types.IpNet;
import io.tabby.testkit.Lab;
import io.tabby.testkit.NetnsTest;
import io.tabby.testkit.Netns;
import io.tabby.testkit.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service as {@code tabby cni serve} wires it with Kubernetes (the Fabric8 mock API server):
 * IPAM in IPAMBlock custom resources, the pod's annotation asking for an address, the dataplane in
 * a lab node namespace, driven through the installed executable.
 */
@NetnsTest
@EnableKubernetesMockClient(crud = true)
class KubernetesServiceIT {
    KubernetesClient client;

    @Test
    void add_status_del_with_ipam_in_the_api_server(Lab lab) throws Exception {
        Node node = lab.node("n1", lab.fabric(), "10.99.0.11/24", "10.99.0.1");
        Netns pod = lab.netns("web");
        KubernetesStore store = new KubernetesStore(client);
        store.putPool(new IpPool("default", IpNet.parse("10.244.0.0/16"), 26, "all()", false, true));
        store.putConfig(IpamConfig.DEFAULT);
        client.pods().inNamespace("prod").resource(new PodBuilder().withNewMetadata().withName("web").withNamespace("prod")
                .addToAnnotations("ipam.tabby.io/ipAddrs", "[\"10.244.9.9\"]").endMetadata().build()).create();
        Path socket = lab.dir().resolve("cni.sock");
        // The node namespace is handed over as a path, as --host-netns does; never the runner's own.
        Kernel.openLabNamespace(node.netns()).close();
        try (CniService svc = CniService.start(new CniService.Options(socket, "n1", Map.of(), client, List.of(),
                node.netns().path(), Duration.ofMinutes(15)))) {
            String conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"k8s-pod-network\",\"type\":\"tabby\"}";
            CniExecutableIT.Run add = CniExecutableIT.exec(socket, CniExecutableIT.env("ADD", "c1", pod, "web"), conf);
            assertThat(add.exit()).as(add.toString()).isZero();
            assertThat(add.json().path("ips").get(0).path("address").asText()).isEqualTo("10.244.9.9/32");
            assertThat(Kernel.addresses(pod, "eth0")).contains("10.244.9.9/32");
            List<Versioned<io.tabby.cni.ipam.Block>> blocks = store.blocks();
            assertThat(blocks).singleElement().satisfies(v -> {
                assertThat(v.value().cidr()).hasToString("10.244.9.0/26");
                assertThat(v.value().affinity()).isEqualTo("n1");
                assertThat(v.value().allocations().values()).singleElement()
                        .satisfies(a -> assertThat(a.handle()).isEqualTo("k8s-pod-network.c1"));
            });

            assertThat(CniExecutableIT.exec(socket, Map.of("CNI_COMMAND", "STATUS"), conf).exit()).isZero();

            CniExecutableIT.Run del = CniExecutableIT.exec(socket, CniExecutableIT.env("DEL", "c1", pod, "web"), conf);
            assertThat(del.exit()).as(del.toString()).isZero();
            assertThat(store.blocks()).allSatisfy(v -> assertThat(v.value().allocations()).isEmpty());
            assertThat(Kernel.link(pod, "eth0")).isEmpty();
        }
    }
}
