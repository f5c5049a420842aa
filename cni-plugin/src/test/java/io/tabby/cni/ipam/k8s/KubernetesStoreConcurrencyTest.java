package io.tabby.cni.ipam.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.tabby.cni.ipam.Allocation;
import io.tabby.cni.ipam.AssignRequest;
import io.tabby.cni.ipam.Block;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.Store;
import io.tabby.cni.ipam.Versioned;
import io.tabby.cni.types.IpNet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 5 nodes x 200 pods allocating and releasing at once against the Fabric8 mock API server, whose
 * 409 on stale updates and duplicate creates {@link MockServer409Test} proves first. Crashes are
 * injected around every store write (before it: nothing written; after it: written but the caller
 * dies) and between IPAM and the dataplane; the simulated runtime then either retries ADD or
 * abandons the sandbox without a DEL, the leak GC must repair. Asserted: no address is ever held by
 * two live pods, and after GC the store holds exactly the live pods' addresses. Each node reads
 * through its own informer cache ({@link KubernetesStore#cached}), as each node's service does.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesStoreConcurrencyTest {
    static final int NODES = 5;
    static final int PODS_PER_NODE = 200;
    static final String NET = "k8s-pod-network";

    KubernetesClient client;

    /** Thrown where the process "dies"; nothing after it in the call runs. */
    static final class Crash extends RuntimeException {
        Crash(String where) {
            super(where, null, false, false);
        }
    }

    /** Kills the caller before or after a write, with probability {@code p} each. */
    static final class CrashingStore implements Store {
        final Store delegate;
        final double p;
        final AtomicInteger crashes = new AtomicInteger();

        CrashingStore(Store delegate, double p) {
            this.delegate = delegate;
            this.p = p;
        }

        void maybe(String where) {
            if (java.util.concurrent.ThreadLocalRandom.current().nextDouble() < p) {
                crashes.incrementAndGet();
                throw new Crash(where);
            }
        }

        @Override
        public List<IpPool> pools() {
            return delegate.pools();
        }

        @Override
        public IpamConfig config() {
            return delegate.config();
        }

        @Override
        public List<Versioned<Block>> blocks() {
            return delegate.blocks();
        }

        @Override
        public Versioned<Block> create(Block block) {
            maybe("before create");
            Versioned<Block> v = delegate.create(block);
            maybe("after create");
            return v;
        }

        @Override
        public Versioned<Block> update(Versioned<Block> current, Block next) {
            maybe("before update");
            Versioned<Block> v = delegate.update(current, next);
            maybe("after update");
            return v;
        }

        @Override
        public void delete(Versioned<Block> current) {
            delegate.delete(current);
        }
    }

    @Test
    void thousand_pods_on_five_nodes_with_crashes_never_duplicate_and_gc_leaves_no_leak() throws Exception {
        KubernetesStore k8s = new KubernetesStore(client);
        k8s.putPool(new IpPool("default", IpNet.parse("10.244.0.0/20"), 26, "all()", false, true));
        k8s.putConfig(new IpamConfig(false, 20));
        // Each node's service has its own informer-backed store, as in production; writes are CAS either way.
        // Each with its own client, closed at the end so no watch connection outlives the test
        // (the mock server, shut down after it, would wait on one).
        List<KubernetesClient> clients = new ArrayList<>();
        List<KubernetesStore> caches = new ArrayList<>();
        List<CrashingStore> stores = new ArrayList<>();
        List<Ipam> ipams = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            clients.add(new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
            caches.add(KubernetesStore.cached(clients.getLast()));
            stores.add(new CrashingStore(caches.getLast(), 0.03));
            ipams.add(new Ipam(stores.getLast()));
        }

        Map<InetAddress, String> owner = new ConcurrentHashMap<>();
        Map<String, String> liveOnNode = new ConcurrentHashMap<>();
        List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger abandoned = new AtomicInteger();
        AtomicInteger deleted = new AtomicInteger();

        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < PODS_PER_NODE; i++) {
                for (int n = 0; n < NODES; n++) {
                    String node = "node-" + n;
                    String handle = NET + ".c-" + n + "-" + i;
                    SplittableRandom rnd = new SplittableRandom(31L * n + i);
                    Ipam ipam = ipams.get(n);
                    futures.add(pool.submit(() -> {
                        podLifecycle(ipam, node, handle, rnd, owner, liveOnNode, duplicates, abandoned, deleted);
                        return null;
                    }));
                }
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            caches.forEach(KubernetesStore::close);
            clients.forEach(KubernetesClient::close);
        }
        int crashes = stores.stream().mapToInt(s -> s.crashes.get()).sum();
        assertThat(duplicates).as("addresses held by two live pods").isEmpty();
        assertThat(crashes).as("crashes injected").isGreaterThan(20);
        assertThat(abandoned.get()).as("sandboxes abandoned without DEL").isPositive();

        // GC with the runtime's valid attachments, per node, with nothing running concurrently (SPEC.md GC).
        Ipam clean = new Ipam(k8s);
        for (int n = 0; n < NODES; n++) {
            String node = "node-" + n;
            Set<String> valid = new HashSet<>();
            liveOnNode.forEach((h, nd) -> {
                if (nd.equals(node)) {
                    valid.add(h);
                }
            });
            clean.gc(NET, node, valid);
        }
        Map<String, InetAddress> stored = new HashMap<>();
        for (Versioned<Block> vb : k8s.blocks()) {
            Block b = vb.value();
            assertThat(b.allocations().size() + b.unallocated().size()).as(b.cidr() + " accounts for every ordinal").isEqualTo(b.size());
            b.allocations().forEach((ord, a) -> {
                InetAddress prev = stored.put(a.handle(), b.address(ord));
                assertThat(prev).as("one address per handle: " + a.handle()).isNull();
            });
        }
        assertThat(stored.keySet()).as("after GC exactly the live pods hold addresses").isEqualTo(liveOnNode.keySet());
        assertThat(new HashSet<>(stored.values())).hasSize(stored.size());
        stored.forEach((h, a) -> assertThat(owner.get(a)).isEqualTo(h));
        System.out.printf("live=%d deleted=%d abandoned=%d crashes=%d blocks=%d%n", liveOnNode.size(), deleted.get(),
                abandoned.get(), crashes, k8s.blocks().size());
    }

    static void podLifecycle(Ipam ipam, String node, String handle, SplittableRandom rnd, Map<InetAddress, String> owner,
                             Map<String, String> liveOnNode, List<String> duplicates, AtomicInteger abandoned, AtomicInteger deleted) {
        AssignRequest req = new AssignRequest(handle, true, node, Map.of(), "ns", handle, List.of(), null, 0);
        InetAddress got = null;
        for (int attempt = 0; attempt < 20 && got == null; attempt++) {
            try {
                InetAddress a = ipam.assign(req).address();
                if (rnd.nextDouble() < 0.03) {
                    throw new Crash("between IPAM and dataplane");
                }
                got = a;
            } catch (Crash c) {
                if (rnd.nextDouble() < 0.3) {
                    abandoned.incrementAndGet();
                    return;
                }
            }
        }
        assertThat(got).as("ADD eventually succeeds for " + handle).isNotNull();
        String prev = owner.putIfAbsent(got, handle);
        if (prev != null && !prev.equals(handle)) {
            duplicates.add(got + " held by " + prev + " and " + handle);
        }
        liveOnNode.put(handle, node);
        if (rnd.nextDouble() < 0.4) {
            // DEL: the pod stops being live first, then the runtime retries DEL until it succeeds.
            liveOnNode.remove(handle);
            owner.remove(got, handle);
            for (int attempt = 0; ; attempt++) {
                try {
                    ipam.release(handle);
                    deleted.incrementAndGet();
                    return;
                } catch (Crash c) {
                    assertThat(attempt).isLessThan(50);
                }
            }
        }
    }
}
