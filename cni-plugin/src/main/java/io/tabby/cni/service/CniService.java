package io.tabby.cni.service;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tabby.cni.handler.NetlinkDataplane;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.MemoryStore;
import io.tabby.cni.ipam.Store;
import io.tabby.cni.ipam.k8s.KubernetesPods;
import io.tabby.cni.ipam.k8s.KubernetesStore;
import io.tabby.cni.skel.Skel;
import io.tabby.netlink.ns.NetNs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CNI service, wired by hand: store (Kubernetes, or in memory for a single node without an
 * API server), IPAM, the netlink dataplane on the node's namespace, the plugin, the socket server,
 * and with Kubernetes the periodic leak sweep. {@code tabby cni serve} runs one; the node agent
 * will embed one.
 */
public final class CniService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CniService.class);

    /**
     * @param client Kubernetes client, or null to keep IPAM in memory over {@code pools}
     * @param hostNetns the node's network namespace (e.g. {@code /proc/self/ns/net})
     * @param sweepGrace how old a gone pod's allocation must be before the sweep frees it
     */
    public record Options(Path socket, String node, Map<String, String> nodeLabels, KubernetesClient client,
                          List<IpPool> pools, Path hostNetns, Duration sweepGrace) {}

    private final NetNs host;
    private final CniServer server;
    private final ScheduledExecutorService sweeper;
    /** Its informers run until {@link #close}; null with the in-memory store. */
    private final KubernetesStore k8sStore;

    private CniService(NetNs host, CniServer server, ScheduledExecutorService sweeper, KubernetesStore k8sStore) {
        this.host = host;
        this.server = server;
        this.sweeper = sweeper;
        this.k8sStore = k8sStore;
    }

    public static CniService start(Options o) {
        Store store;
        PodDirectory pods;
        KubernetesStore k8sStore = null;
        if (o.client() != null) {
            k8sStore = KubernetesStore.cached(o.client());
            store = k8sStore;
            KubernetesPods k8sPods = new KubernetesPods(o.client());
            pods = k8sPods::annotations;
        } else {
            store = new MemoryStore(o.pools(), IpamConfig.DEFAULT);
            pods = PodDirectory.NONE;
        }
        NetNs host;
        try {
            host = NetNs.open(o.hostNetns());
        } catch (RuntimeException e) {
            if (k8sStore != null) {
                k8sStore.close();
            }
            throw e;
        }
        try {
            TabbyPlugin plugin = new TabbyPlugin(new Ipam(store), new NetlinkDataplane(host), pods, o.node(), o.nodeLabels(),
                    Clock.systemUTC());
            try {
                plugin.syncBlockRoutes();
            } catch (RuntimeException e) {
                // Not fatal: the first ADD that takes an address from one of our blocks syncs again.
                log.atWarn().addKeyValue("error", e.getMessage()).log("cannot sync blackhole routes of this node's blocks at start");
            }
            CniServer server = CniServer.start(o.socket(), new Skel(plugin));
            ScheduledExecutorService sweeper = null;
            if (o.client() != null) {
                sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ipam-sweep").daemon().factory());
                long period = Math.max(1, o.sweepGrace().toSeconds() / 2);
                sweeper.scheduleWithFixedDelay(() -> {
                    try {
                        int n = plugin.sweep(o.sweepGrace());
                        log.atInfo().addKeyValue("released", n).log("IPAM leak sweep");
                    } catch (RuntimeException e) {
                        log.atWarn().addKeyValue("error", e.getMessage()).log("IPAM leak sweep failed");
                    }
                }, period, period, TimeUnit.SECONDS);
            }
            log.atInfo().addKeyValue("node", o.node()).addKeyValue("socket", o.socket())
                    .addKeyValue("store", o.client() != null ? "kubernetes" : "memory").log("CNI service started");
            return new CniService(host, server, sweeper, k8sStore);
        } catch (RuntimeException e) {
            host.close();
            if (k8sStore != null) {
                k8sStore.close();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        server.close();
        host.close();
        if (k8sStore != null) {
            k8sStore.close();
        }
    }
}
