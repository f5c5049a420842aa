package io.tabby.bgp.bench;

import com.codahale.metrics.MetricRegistry;
import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.fib.KernelRoute;
import io.tabby.bgp.fib.KernelRoutes;
import io.tabby.bgp.policy.PeerPolicies;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.BgpMessage.Update;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.PathAttribute.Segment;
import io.tabby.bgp.wire.Prefix;
import io.tabby.bgp.wire.WireContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The bgperf shape without sockets (docs/benchmarks.md, issue 6): a tester peer (eBGP, AS 65001)
 * announces N unique IPv4 /32s from 100.64.0.0 in UPDATEs of 800 prefixes, the target (us, AS
 * 65000) runs import, best path and export, and a monitor peer (eBGP, AS 65100) gets them packed
 * into UPDATEs. {@code attrSets} distinct attribute sets (AS paths of 2-5 ASes, some with
 * communities and MED) are spread over the prefixes, as in a real table where many prefixes share
 * one set.
 */
public final class Workload {
    public static final int PER_UPDATE = 800;
    static final InetAddress TARGET = Addresses.parse("198.18.1.1");
    static final Peer TESTER = Peer.neighbour("198.18.1.2", "198.18.1.2", 65001, 65000, false);
    static final Peer MONITOR = Peer.neighbour("198.18.2.2", "198.18.2.2", 65100, 65000, false);

    private Workload() {}

    /**
     * The attribute list of set {@code i}: AS path 65001 plus 1-4 private ASes (never ours, 65000),
     * a community pair that makes every set distinct, MED on every fifth.
     */
    static List<PathAttribute> attrs(int i) {
        long[] path = new long[2 + i % 4];
        path[0] = 65001;
        for (int k = 1; k < path.length; k++) {
            path[k] = 64512 + (i * 7L + k * 13L) % 400;
        }
        List<PathAttribute> a = new ArrayList<>(List.of(PathAttribute.Origin.IGP,
                new PathAttribute.AsPath(List.of(Segment.sequence(path))),
                new PathAttribute.NextHop(Addresses.parse4("198.18.1.2")),
                new PathAttribute.Communities(List.of(65001 << 16 | (i >>> 16), 65002 << 16 | (i & 0xffff)))));
        if (i % 5 == 0) {
            a.add(new PathAttribute.MultiExitDisc(i % 50));
        }
        return a;
    }

    /** Streams the tester's UPDATEs without keeping them (so they do not count as retained memory). */
    public static void updates(int routes, int attrSets, Consumer<Update> sink) {
        List<List<PathAttribute>> sets = new ArrayList<>(attrSets);
        for (int i = 0; i < attrSets; i++) {
            sets.add(attrs(i));
        }
        // Prefixes are grouped by attribute set in blocks, as a speaker packs them.
        int perSet = Math.max(1, routes / attrSets);
        List<Prefix> batch = new ArrayList<>(PER_UPDATE);
        int currentSet = 0;
        for (int n = 0; n < routes; n++) {
            int set = Math.min(attrSets - 1, n / perSet);
            if (set != currentSet && !batch.isEmpty()) {
                sink.accept(new Update(List.of(), sets.get(currentSet), batch));
                batch = new ArrayList<>(PER_UPDATE);
            }
            currentSet = set;
            batch.add(slash32(n));
            if (batch.size() == PER_UPDATE) {
                sink.accept(new Update(List.of(), sets.get(currentSet), batch));
                batch = new ArrayList<>(PER_UPDATE);
            }
        }
        if (!batch.isEmpty()) {
            sink.accept(new Update(List.of(), sets.get(currentSet), batch));
        }
    }

    static Prefix slash32(int n) {
        int a = (100 << 24) + (64 << 16) + n;
        byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
        try {
            return new Prefix(InetAddress.getByAddress(b), 32);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The target: tester in, optional monitor out. */
    public static Rib target(boolean monitor) {
        Rib rib = new Rib(Speaker.of(65000, Addresses.parse4("198.18.0.1")), Set.of(Family.IPV4_UNICAST),
                BestPath.Options.DEFAULT, new MetricRegistry());
        rib.addNeighbour(Neighbour.of(TESTER, TARGET, PeerPolicies.allowAll()));
        rib.sessionUp(TESTER.address(), Set.of(Family.IPV4_UNICAST));
        if (monitor) {
            rib.addNeighbour(Neighbour.of(MONITOR, Addresses.parse("198.18.2.1"), PeerPolicies.allowAll()));
            rib.sessionUp(MONITOR.address(), Set.of(Family.IPV4_UNICAST));
        }
        return rib;
    }

    /** A FIB exporter into a kernel that keeps nothing: measures our desired/actual tables, not the kernel's. */
    public static FibExporter fib(Rib rib) {
        FibExporter exporter = new FibExporter(NULL_KERNEL, 250, KernelRoute.TABLE_MAIN);
        rib.addListener(exporter::onChange);
        return exporter;
    }

    /**
     * Feeds everything; every 16 UPDATEs (12,800 routes) drains the monitor and applies the FIB,
     * as the RIB loop does between batches of input. Returns the UPDATEs sent to the monitor.
     */
    public static long run(Rib rib, int routes, int attrSets, boolean monitor, FibExporter fib) {
        long[] messages = {0};
        int[] n = {0};
        updates(routes, attrSets, u -> {
            rib.receive(TESTER.address(), u, false);
            if (++n[0] % 16 == 0) {
                messages[0] += flush(rib, monitor, fib);
            }
        });
        return messages[0] + flush(rib, monitor, fib);
    }

    /**
     * The tester withdraws all N routes of {@link #run}, in UPDATEs of {@link #PER_UPDATE}
     * prefixes in ascending order, drained as {@link #run} drains. Returns the UPDATEs sent.
     */
    public static long withdraw(Rib rib, int routes, boolean monitor, FibExporter fib) {
        long messages = 0;
        int updates = 0;
        List<Prefix> batch = new ArrayList<>(PER_UPDATE);
        for (int n = 0; n < routes; n++) {
            batch.add(slash32(n));
            if (batch.size() == PER_UPDATE || n == routes - 1) {
                rib.receive(TESTER.address(), new Update(batch, List.of(), List.of()), false);
                batch = new ArrayList<>(PER_UPDATE);
                if (++updates % 16 == 0) {
                    messages += flush(rib, monitor, fib);
                }
            }
        }
        return messages + flush(rib, monitor, fib);
    }

    private static long flush(Rib rib, boolean monitor, FibExporter fib) {
        if (fib != null) {
            fib.apply();
        }
        return monitor ? rib.drain(MONITOR.address(), WireContext.FOUR_OCTET).size() : 0;
    }

    private static final KernelRoutes NULL_KERNEL = new KernelRoutes() {
        @Override
        public List<KernelRoute> list(int table, int protocol) {
            return List.of();
        }

        @Override
        public void replace(KernelRoute route) {}

        @Override
        public void delete(KernelRoute route) {}
    };
}
