package io.tabby.cni.ipam.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.tabby.cni.ipam.Allocation;
import io.tabby.cni.ipam.AssignRequest;
import io.tabby.cni.ipam.Block;
import io.tabby.cni.ipam.ConflictException;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.Versioned;
import io.tabby.cni.types.IpNet;
import io.tabby.testkit.Eventually;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The informer-backed store against the Fabric8 mock server (CRUD mode, which refuses stale
 * updates with 409: {@link MockServer409Test}): reads cost no request, our own writes are visible
 * to our next read before the watch delivers them, and a cache made stale by another writer costs
 * one refused write and one GET, after which the retry succeeds.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesStoreCacheTest {
    KubernetesClient client;
    KubernetesMockServer server;
    /** The informers' own client: closing it drops their watch connections at once, so the mock
     *  server (shut down by the extension after each test) never waits on a watch still open. */
    KubernetesClient informerClient;

    @AfterEach
    void closeInformerClient() {
        if (informerClient != null) {
            informerClient.close();
        }
    }

    static AssignRequest req(String handle, String node) {
        return new AssignRequest(handle, true, node, Map.of(), "ns", handle, List.of(), null, 0);
    }

    KubernetesStore synced() {
        KubernetesStore direct = new KubernetesStore(client);
        direct.putPool(new IpPool("default", IpNet.parse("10.244.0.0/24"), 26, "all()", false, true));
        direct.putConfig(new IpamConfig(false, 20));
        informerClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        KubernetesStore cached = KubernetesStore.cached(informerClient);
        Eventually.await("informers synced", Duration.ofSeconds(10), cached::cacheSynced);
        Eventually.await("pool in the cache", Duration.ofSeconds(10), () -> !cached.pools().isEmpty());
        return cached;
    }

    @Test
    void allocations_read_nothing_from_the_api_server_and_see_their_own_writes() {
        try (KubernetesStore cached = synced()) {
            Ipam ipam = new Ipam(cached);
            requests();
            Set<InetAddress> got = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                got.add(ipam.assign(req("net.c" + i, "n1")).address());
            }
            // One create (the block claim) and nine updates, each on the version the last one returned:
            // no list, no get, and no 409 (which would add a GET). Watches may reconnect meanwhile.
            List<String> made = requests().stream().filter(r -> !r.contains("watch=true")).toList();
            assertThat(made).as("API requests for 10 allocations").hasSize(10)
                    .filteredOn(r -> r.startsWith("POST")).hasSize(1);
            assertThat(made).filteredOn(r -> r.startsWith("PUT")).hasSize(9);
            assertThat(got).hasSize(10);
            assertThat(new KubernetesStore(client).blocks()).singleElement()
                    .satisfies(vb -> assertThat(vb.value().allocations()).hasSize(10));
        }
    }

    /** The requests the mock server received since the last call, as "METHOD path". */
    List<String> requests() {
        List<String> out = new java.util.ArrayList<>();
        try {
            for (var r = server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS); r != null;
                 r = server.takeRequest(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                out.add(r.getMethod() + " " + r.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out;
    }

    @Test
    void a_write_on_a_stale_cache_is_refused_and_the_block_re_read_at_once() {
        try (KubernetesStore cached = synced()) {
            KubernetesStore direct = new KubernetesStore(client);
            Ipam ipam = new Ipam(cached);
            InetAddress first = ipam.assign(req("net.a", "n1")).address();
            Versioned<Block> seen = cached.blocks().getFirst();

            // Another writer (say, a GC elsewhere) changes the block behind our cache's back.
            Versioned<Block> current = direct.blocks().getFirst();
            int ord = current.value().nextFree().orElseThrow();
            direct.update(current, current.value().allocate(ord, new Allocation("net.other", "n2", "ns", "other", 0)));

            assertThatThrownBy(() -> cached.update(seen, seen.value().allocate(ord, new Allocation("net.b", "n1", "ns", "b", 0))))
                    .isInstanceOf(ConflictException.class);
            assertThat(cached.blocks().getFirst().value().allocations().get(ord).handle())
                    .as("the refused write re-read the block: no wait for the watch").isEqualTo("net.other");
            InetAddress b = ipam.assign(req("net.b", "n1")).address();
            assertThat(b).isNotEqualTo(first).isNotEqualTo(current.value().address(ord));
        }
    }

    @Test
    void the_cache_follows_other_writers_through_the_watch() {
        try (KubernetesStore cached = synced()) {
            KubernetesStore direct = new KubernetesStore(client);
            direct.create(Block.empty(IpNet.parse("10.244.0.64/26"), "n2"));
            Eventually.await("block created elsewhere seen", Duration.ofSeconds(10), () -> cached.blocks().size() == 1);
            direct.delete(direct.blocks().getFirst());
            Eventually.await("block deleted elsewhere gone", Duration.ofSeconds(10), () -> cached.blocks().isEmpty());
        }
    }

    /** API server unreachable when the service starts: reads fail as "try again later" (code 11), not from an empty cache. */
    @Test
    void an_unsynced_cache_reads_the_api_server_and_reports_it_unreachable() {
        io.fabric8.kubernetes.client.Config dead = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").withRequestRetryBackoffLimit(0).withConnectionTimeout(500).build();
        try (KubernetesClient deadClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(dead).build();
             KubernetesStore cached = KubernetesStore.cached(deadClient)) {
            assertThat(cached.cacheSynced()).isFalse();
            assertThatThrownBy(cached::blocks).isInstanceOfSatisfying(io.tabby.cni.types.CniError.class,
                    e -> assertThat(e.code()).isEqualTo(io.tabby.cni.types.CniError.TRY_AGAIN_LATER));
            assertThatThrownBy(cached::pools).isInstanceOf(io.tabby.cni.types.CniError.class);
        }
    }
}
