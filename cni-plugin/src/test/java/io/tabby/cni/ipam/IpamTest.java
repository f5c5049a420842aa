package io.tabby.cni.ipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IpamTest {
    static final IpPool V4 = new IpPool("default", IpNet.parse("10.244.0.0/22"), 26, "all()", false, true);
    static final IpPool V6 = new IpPool("v6", IpNet.parse("fd00:10:244::/116"), 122, "all()", false, false);

    static AssignRequest req(String handle, String node, boolean v4, String pod, long now) {
        return new AssignRequest(handle, v4, node, Map.of(), "ns", pod, List.of(), null, now);
    }

    @Test
    void release_returns_addresses_and_unknown_handles_are_fine() {
        Ipam ipam = new Ipam(new MemoryStore(List.of(V4), IpamConfig.DEFAULT));
        Ipam.Assigned a = ipam.assign(req("net.c1", "n1", true, "p1", 0));
        assertThat(ipam.assign(req("net.c1", "n1", true, "p1", 0))).isEqualTo(a);
        assertThat(ipam.release("net.c1")).isEqualTo(1);
        assertThat(ipam.release("net.c1")).isZero();
        assertThat(ipam.release("net.never")).isZero();
    }

    @Test
    void dual_stack_half_failure_releases_the_first_family() {
        IpPool fullV6 = new IpPool("v6", IpNet.parse("fd00::/127"), 127, "all()", false, false);
        MemoryStore store = new MemoryStore(List.of(V4, fullV6), IpamConfig.DEFAULT);
        Ipam ipam = new Ipam(store);
        ipam.assign(req("net.x", "n1", false, "x", 0));
        ipam.assign(req("net.y", "n1", false, "y", 0));
        assertThatThrownBy(() -> ipam.assignAll(List.of(req("net.z", "n1", true, "z", 0), req("net.z", "n1", false, "z", 0))))
                .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(CniError.IPAM_EXHAUSTED));
        assertThat(store.blocks()).flatExtracting(v -> v.value().allocations().values()).extracting(Allocation::handle)
                .containsExactlyInAnyOrder("net.x", "net.y");
    }

    @Test
    void gc_keeps_valid_attachments_other_networks_and_other_nodes() {
        Ipam ipam = new Ipam(new MemoryStore(List.of(V4), IpamConfig.DEFAULT));
        ipam.assign(req("net.live", "n1", true, "a", 0));
        ipam.assign(req("net.dead", "n1", true, "b", 0));
        ipam.assign(req("other.x", "n1", true, "c", 0));
        ipam.assign(req("net.elsewhere", "n2", true, "d", 0));
        assertThat(ipam.gc("net", "n1", Set.of("net.live"))).isEqualTo(1);
        assertThat(handles(ipam)).containsExactlyInAnyOrder("net.live", "other.x", "net.elsewhere");
    }

    @Test
    void sweep_waits_for_the_grace_period() {
        Ipam ipam = new Ipam(new MemoryStore(List.of(V4), IpamConfig.DEFAULT));
        ipam.assign(req("net.old", "n1", true, "gone", 0));
        ipam.assign(req("net.young", "n1", true, "gone-too", 900_000));
        ipam.assign(req("net.alive", "n1", true, "alive", 0));
        int n = ipam.sweep(a -> !a.pod().equals("alive"), Duration.ofMinutes(15), 1_000_000);
        assertThat(n).isEqualTo(1);
        assertThat(handles(ipam)).containsExactlyInAnyOrder("net.young", "net.alive");
    }

    @Test
    void concurrent_assign_and_release_on_many_nodes_never_duplicates() throws Exception {
        MemoryStore store = new MemoryStore(List.of(V4, V6), new IpamConfig(false, 3));
        Ipam ipam = new Ipam(store);
        Map<InetAddress, String> owners = new ConcurrentHashMap<>();
        List<String> duplicates = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int node = 0; node < 5; node++) {
                for (int pod = 0; pod < 80; pod++) {
                    String handle = "net.n" + node + "-p" + pod;
                    String n = "n" + node;
                    fs.add(pool.submit(() -> {
                        for (Ipam.Assigned a : ipam.assignAll(List.of(req(handle, n, true, handle, 0), req(handle, n, false, handle, 0)))) {
                            String prev = owners.putIfAbsent(a.address(), handle);
                            if (prev != null) {
                                synchronized (duplicates) {
                                    duplicates.add(a.address() + " " + prev + " " + handle);
                                }
                            }
                        }
                        if (handle.hashCode() % 3 == 0) {
                            owners.values().removeIf(handle::equals);
                            ipam.release(handle);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        assertThat(duplicates).isEmpty();
        List<String> stored = handles(ipam);
        assertThat(stored).hasSize(owners.size());
        assertThat(store.blocks()).allSatisfy(v -> assertThat(v.value().allocations().size() + v.value().unallocated().size())
                .isEqualTo(v.value().size()));
    }

    static List<String> handles(Ipam ipam) {
        return ipam.store().blocks().stream().flatMap(v -> v.value().allocations().values().stream()).map(Allocation::handle).toList();
    }
}
