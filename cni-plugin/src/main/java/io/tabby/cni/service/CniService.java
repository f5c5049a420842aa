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

    private CniService(NetNs host, CniServer server, ScheduledExecutorService sweeper) {
        this.host = host;
        this.server = server;
        this.sweeper = sweeper;
    }

    public static CniService start(Options o) {
        Store store;
        PodDirectory pods;
        if (o.client() != null) {
            store = new KubernetesStore(o.client());
            KubernetesPods k8sPods = new KubernetesPods(o.client());
            pods = k8sPods::annotations;
        } else {
            store = new MemoryStore(o.pools(), IpamConfig.DEFAULT);
            pods = PodDirectory.NONE;
        }
        NetNs host = NetNs.open(o.hostNetns());
        try {
            TabbyPlugin plugin = new TabbyPlugin(new Ipam(store), new NetlinkDataplane(host), pods, o.node(), o.nodeLabels(),
                    Clock.systemUTC());
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
            return new CniService(host, server, sweeper);
        } catch (RuntimeException e) {
            host.close();
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
    }
}
