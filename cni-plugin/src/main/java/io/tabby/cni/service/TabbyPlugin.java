package io.tabby.cni.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabby.cni.handler.Dataplane;
import io.tabby.cni.handler.VethNames;
import io.tabby.cni.ipam.Allocation;
import io.tabby.cni.ipam.Allocator;
import io.tabby.cni.ipam.AssignRequest;
import io.tabby.cni.ipam.Block;
import io.tabby.cni.ipam.Ipam;
import io.tabby.cni.ipam.IpamConfig;
import io.tabby.cni.ipam.IpPool;
import io.tabby.cni.ipam.Versioned;
import io.tabby.cni.skel.CniPlugin;
import io.tabby.cni.skel.Request;
import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Json;
import io.tabby.cni.types.NetConf;
import io.tabby.cni.types.Result;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tabby} plugin's commands: IPAM first, then the dataplane, releasing the addresses
 * again if the dataplane fails (so a failed ADD leaks nothing); DEL in the opposite order. Calls
 * for one container are serialised (the runtime should never overlap them, but a timed-out ADD
 * followed by its retry can); different containers run in parallel.
 */
public final class TabbyPlugin implements CniPlugin {
    private static final Logger log = LoggerFactory.getLogger(TabbyPlugin.class);
    /** Annotations that ask for an address or pools: ours first, Calico's accepted too. */
    static final List<String> IP_ADDRS = List.of("ipam.tabby.io/ipAddrs", "cni.projectcalico.org/ipAddrs");
    static final List<String> V4_POOLS = List.of("ipam.tabby.io/ipv4pools", "cni.projectcalico.org/ipv4pools");
    static final List<String> V6_POOLS = List.of("ipam.tabby.io/ipv6pools", "cni.projectcalico.org/ipv6pools");

    private final Ipam ipam;
    private final Dataplane dataplane;
    private final PodDirectory pods;
    private final String node;
    private final Map<String, String> nodeLabels;
    private final Clock clock;
    private final ReentrantLock[] stripes = new ReentrantLock[64];
    /** Guards {@link #blackholed}: block route syncs run one at a time. */
    private final ReentrantLock blockLock = new ReentrantLock();
    /** The blocks the dataplane last blackholed for this node; null until the first sync. */
    private Set<IpNet> blackholed;

    public TabbyPlugin(Ipam ipam, Dataplane dataplane, PodDirectory pods, String node, Map<String, String> nodeLabels, Clock clock) {
        this.ipam = ipam;
        this.dataplane = dataplane;
        this.pods = pods;
        this.node = node;
        this.nodeLabels = Map.copyOf(nodeLabels);
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public Result add(Request r) {
        ReentrantLock lock = lockFor(r.containerId());
        lock.lock();
        try {
            long t0 = System.nanoTime();
            List<Ipam.Assigned> assigned = ipam.assignAll(assignRequests(r));
            List<IpNet> addresses = assigned.stream().map(Ipam.Assigned::hostNet).toList();
            long t1 = System.nanoTime();
            Dataplane.Attachment att;
            try {
                if (assigned.stream().anyMatch(a -> !a.borrowed() && !isBlackholed(a.block()))) {
                    syncBlockRoutes(nodeOf(r.conf()));
                }
                att = dataplane.add(spec(r, addresses));
            } catch (RuntimeException e) {
                ipam.release(r.handle());
                throw e;
            }
            log.atInfo().addKeyValue("container", r.containerId()).addKeyValue("pod", r.podNamespace() + "/" + r.podName())
                    .addKeyValue("addresses", addresses).addKeyValue("host_if", att.host().name())
                    .addKeyValue("ipam_us", (t1 - t0) / 1000).addKeyValue("dataplane_us", (System.nanoTime() - t1) / 1000)
                    .log("ADD done");
            return result(r.conf().prevResult(), att, addresses);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void del(Request r) {
        ReentrantLock lock = lockFor(r.containerId());
        lock.lock();
        try {
            // Pod side first: removing eth0 in the pod takes the host end with it. The host end is
            // never deleted by name here, because a newer sandbox of the same pod may own it.
            long t0 = System.nanoTime();
            dataplane.del(r.netns(), r.ifname());
            long t1 = System.nanoTime();
            int n = ipam.release(r.handle());
            log.atInfo().addKeyValue("container", r.containerId()).addKeyValue("released", n)
                    .addKeyValue("dataplane_us", (t1 - t0) / 1000).addKeyValue("ipam_us", (System.nanoTime() - t1) / 1000)
                    .log("DEL done");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void check(Request r) {
        Result prev = r.conf().prevResult();
        if (prev == null) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "required prevResult missing", "CHECK needs the ADD result");
        }
        List<IpNet> want = prev.ips().stream().map(ip -> IpNet.host(ip.address().address())).toList();
        Set<InetAddress> held = new HashSet<>();
        ipam.store().blocks().forEach(vb -> vb.value().allocations().forEach((ord, a) -> {
            if (a.handle().equals(r.handle())) {
                held.add(vb.value().address(ord));
            }
        }));
        for (IpNet ip : want) {
            if (!held.contains(ip.address())) {
                throw new CniError(CniError.CHECK_FAILED, "address not allocated to this container in IPAM",
                        ip + " handle " + r.handle());
            }
        }
        dataplane.check(spec(r, want));
    }

    /**
     * SPEC.md 1.1 STATUS: the dataplane first (50 or 51, see {@link Dataplane#status}), then IPAM:
     * the datastore must answer and, for each family the network assigns, {@link Allocator#plan}
     * must find this node an address for a new container (its own block, a claimable block, or
     * one to borrow), else 50. The probe only plans; it writes nothing.
     */
    @Override
    public void status(Request r) {
        NetConf c = r.conf();
        dataplane.status(c.assignIpv6());
        List<IpPool> pools;
        IpamConfig cfg;
        List<Block> blocks;
        try {
            pools = ipam.store().pools();
            cfg = ipam.store().config();
            blocks = ipam.store().blocks().stream().map(Versioned::value).toList();
        } catch (RuntimeException e) {
            throw new CniError(CniError.PLUGIN_NOT_AVAILABLE, "IPAM datastore not reachable", e.getMessage());
        }
        for (boolean v4 : new boolean[] {true, false}) {
            if (v4 ? !c.assignIpv4() : !c.assignIpv6()) {
                continue;
            }
            AssignRequest probe = new AssignRequest(c.name() + ".status-probe", v4, nodeOf(c), nodeLabels, "", "",
                    v4 ? c.ipv4Pools() : c.ipv6Pools(), null, clock.millis());
            if (Allocator.plan(probe, pools, cfg, blocks) instanceof Allocator.Refused(String reason)) {
                throw new CniError(CniError.PLUGIN_NOT_AVAILABLE, "no address left for a new pod on this node", reason);
            }
        }
    }

    @Override
    public void gc(Request r) {
        if (r.conf().disableGC()) {
            return;
        }
        Set<String> valid = new HashSet<>();
        for (NetConf.Attachment a : r.conf().validAttachments()) {
            valid.add(r.conf().name() + "." + a.containerId());
        }
        String nodeName = nodeOf(r.conf());
        int n = ipam.gc(r.conf().name(), nodeName, valid);
        // Blocks this node holds that are now empty go back to the pools, and their blackholes with them.
        int blocks = ipam.releaseEmptyBlocks(b -> nodeName.equals(b.affinity()));
        syncBlockRoutes(nodeName);
        log.atInfo().addKeyValue("network", r.conf().name()).addKeyValue("valid", valid.size()).addKeyValue("released", n)
                .addKeyValue("released_blocks", blocks).log("GC done");
    }

    /**
     * Desired vs actual for the node's blackhole routes: the blocks IPAM says {@code node} holds,
     * handed to the dataplane, which changes only the difference. Runs at service start (full
     * resync), when an ADD got an address from a block not yet blackholed, and after GC.
     */
    public void syncBlockRoutes(String node) {
        Set<IpNet> mine = new HashSet<>();
        for (Versioned<Block> vb : ipam.store().blocks()) {
            if (node.equals(vb.value().affinity())) {
                mine.add(vb.value().cidr());
            }
        }
        blockLock.lock();
        try {
            dataplane.blockRoutes(mine);
            blackholed = Set.copyOf(mine);
        } finally {
            blockLock.unlock();
        }
    }

    public void syncBlockRoutes() {
        syncBlockRoutes(node);
    }

    private boolean isBlackholed(IpNet block) {
        blockLock.lock();
        try {
            return blackholed != null && blackholed.contains(block);
        } finally {
            blockLock.unlock();
        }
    }

    /** The leak sweep: frees addresses of pods that are gone, once older than {@code grace}. */
    public int sweep(java.time.Duration grace) {
        return ipam.sweep((Allocation a) -> pods.annotations(a.namespace(), a.pod()).isEmpty(), grace, clock.millis());
    }

    private String nodeOf(NetConf conf) {
        return conf.nodename() != null && !conf.nodename().isEmpty() ? conf.nodename() : node;
    }

    private Dataplane.Spec spec(Request r, List<IpNet> addresses) {
        return new Dataplane.Spec(r.containerId(), r.netns(), r.ifname(),
                VethNames.host(r.podNamespace(), r.podName(), r.containerId()), addresses, r.conf().mtu());
    }

    List<AssignRequest> assignRequests(Request r) {
        NetConf c = r.conf();
        Map<String, String> ann = r.podName().isEmpty() ? Map.of()
                : pods.annotations(r.podNamespace(), r.podName()).orElse(Map.of());
        List<InetAddress> wanted = new ArrayList<>();
        for (String s : jsonList(ann, IP_ADDRS)) {
            try {
                wanted.add(IpNet.parseAddress(s));
            } catch (IllegalArgumentException e) {
                throw new CniError(CniError.INVALID_NETWORK_CONFIG, "bad address in pod annotation " + IP_ADDRS.getFirst(), s);
            }
        }
        List<String> v4Pools = jsonList(ann, V4_POOLS).isEmpty() ? c.ipv4Pools() : jsonList(ann, V4_POOLS);
        List<String> v6Pools = jsonList(ann, V6_POOLS).isEmpty() ? c.ipv6Pools() : jsonList(ann, V6_POOLS);
        long now = clock.millis();
        List<AssignRequest> out = new ArrayList<>();
        String n = nodeOf(c);
        for (boolean v4 : new boolean[] {true, false}) {
            if (v4 ? !c.assignIpv4() : !c.assignIpv6()) {
                continue;
            }
            InetAddress specific = wanted.stream().filter(a -> (a.getAddress().length == 4) == v4).findFirst().orElse(null);
            out.add(new AssignRequest(r.handle(), v4, n, nodeLabels, r.podNamespace(), r.podName(),
                    v4 ? v4Pools : v6Pools, specific, now));
        }
        return out;
    }

    private static List<String> jsonList(Map<String, String> ann, List<String> keys) {
        for (String k : keys) {
            String v = ann.get(k);
            if (v != null) {
                JsonNode n = Json.parseObject(("{\"v\":" + v + "}").getBytes(StandardCharsets.UTF_8), "pod annotation " + k).get("v");
                if (!n.isArray()) {
                    throw new CniError(CniError.INVALID_NETWORK_CONFIG, "pod annotation " + k + " must be a JSON list", v);
                }
                List<String> out = new ArrayList<>();
                n.forEach(x -> out.add(x.asText()));
                return out;
            }
        }
        return List.of();
    }

    /**
     * The result: a chained {@code prevResult}'s entries kept first, then our host and pod
     * interfaces, the /32 (/128) addresses on the pod interface, and the pod's default routes.
     */
    static Result result(Result prev, Dataplane.Attachment att, List<IpNet> addresses) {
        List<Result.Interface> ifs = new ArrayList<>(prev == null ? List.of() : prev.interfaces());
        List<Result.IpConfig> ips = new ArrayList<>(prev == null ? List.of() : prev.ips());
        List<Result.Route> routes = new ArrayList<>(prev == null ? List.of() : prev.routes());
        ifs.add(att.host());
        ifs.add(att.pod());
        int podIndex = ifs.size() - 1;
        for (IpNet a : addresses) {
            ips.add(new Result.IpConfig(a, null, podIndex));
        }
        routes.addAll(att.podRoutes());
        return new Result(ifs, ips, routes, prev == null ? null : prev.dns());
    }

    private ReentrantLock lockFor(String containerId) {
        return stripes[Math.floorMod(containerId.hashCode(), stripes.length)];
    }
}
