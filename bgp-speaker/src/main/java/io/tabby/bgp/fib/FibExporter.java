package io.tabby.bgp.fib;

import io.tabby.bgp.rib.Change;
import io.tabby.bgp.rib.Path;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.rib.PrefixMap;
import io.tabby.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loc-RIB best paths into the kernel FIB, Felix-style desired vs actual. {@link #onChange}
 * (called by the RIB for every best-path/ECMP change) only records the desired gateways of a
 * prefix and marks it dirty; {@link #apply} changes the kernel where it differs. The first apply
 * (and {@link #resync}) reads the kernel's routes of our protocol and so also removes routes a
 * previous run left that are no longer wanted, and never touches a route of another protocol.
 * After a graceful restart, the caller simply does not call apply until best-path selection is
 * released, so the old routes keep forwarding (RFC 4724 4.1).
 *
 * <p>ECMP: the multipath set becomes one route with several next hops ({@code ip route replace P
 * nexthop via A nexthop via B}). Routes we originate ourselves (redistributed) are not installed.
 * The desired gateway list of a single-path prefix is the path's own next-hop list, shared with
 * the RIB, and only prefixes with pending changes remember what the kernel has, so the FIB costs
 * one map slot per route.
 *
 * <p>Single-threaded (the RIB's thread); kernel calls happen only in {@link #apply}.
 */
public final class FibExporter {
    private static final Logger log = LoggerFactory.getLogger(FibExporter.class);

    /** What one apply did. */
    public record Applied(int replaced, int deleted, int failed, boolean fullSync) {}

    private static final Object NONE = new Object();

    private final KernelRoutes kernel;
    private final int protocol;
    private final int table;
    private final PrefixMap<List<InetAddress>> desired = new PrefixMap<>();
    /**
     * Prefixes whose kernel route may differ from {@link #desired}, each with what the kernel has
     * ({@link #NONE} for no route). Everything else is in sync, so no full "actual" table is kept:
     * a prefix costs one slot in {@code desired}.
     */
    private final PrefixMap<Object> dirty = new PrefixMap<>();
    private boolean synced;

    /**
     * @param protocol our {@code rtm_protocol} (every route we install carries it; only these are ever removed)
     * @param table the kernel table (254 = main)
     */
    public FibExporter(KernelRoutes kernel, int protocol, int table) {
        if (protocol <= 4 || protocol > 255) {
            throw new IllegalArgumentException("route protocol " + protocol
                    + " is reserved for the kernel/boot/static (0-4) or out of range; pick our own, e.g. 250");
        }
        this.kernel = kernel;
        this.protocol = protocol;
        this.table = table;
    }

    /** Records what {@code c} means for the kernel. No kernel I/O. */
    public void onChange(Change c) {
        List<InetAddress> gws = c.newBest() == null ? null : gateways(c.multipath());
        List<InetAddress> old = desired.put(c.prefix(), gws);
        if (synced && !same(old, gws) && dirty.get(c.prefix()) == null) {
            dirty.put(c.prefix(), old == null ? NONE : old); // in sync until now: the kernel has the old desired
        }
    }

    /** Forces a full comparison with the kernel at the next apply (e.g. after a netlink error or a timer). */
    public void resync() {
        synced = false;
    }

    /** How many routes of our protocol the kernel table has now (a restart with them preserved if any). */
    public int kernelRouteCount() {
        return ours().size();
    }

    /** The kernel's routes of our protocol in our table (filtered again: never trust a listing with anything else). */
    private List<KernelRoute> ours() {
        return kernel.list(table, protocol).stream().filter(r -> r.protocol() == protocol && r.table() == table).toList();
    }

    public int desiredCount() {
        return desired.size();
    }

    /** Makes the kernel match the desired state; returns what it did. Failed prefixes stay dirty. */
    public Applied apply() {
        boolean full = !synced;
        int[] counts = new int[3]; // replaced, deleted, failed
        if (full) {
            PrefixMap<List<InetAddress>> kernelNow = new PrefixMap<>();
            for (KernelRoute r : ours()) {
                kernelNow.put(r.prefix(), r.gateways());
            }
            dirty.clear();
            desired.forEach((p, want) -> change(p, want, kernelNow.remove(p), counts));
            kernelNow.forEach((p, have) -> change(p, null, have, counts));
            synced = true;
        } else {
            List<Prefix> prefixes = new ArrayList<>(dirty.size());
            List<Object> had = new ArrayList<>(dirty.size());
            dirty.forEach((p, v) -> {
                prefixes.add(p);
                had.add(v);
            });
            dirty.clear();
            for (int i = 0; i < prefixes.size(); i++) {
                Object h = had.get(i);
                @SuppressWarnings("unchecked")
                List<InetAddress> have = h == NONE ? null : (List<InetAddress>) h;
                change(prefixes.get(i), desired.get(prefixes.get(i)), have, counts);
            }
        }
        if (full || counts[0] + counts[1] + counts[2] > 0) {
            log.atInfo().addKeyValue("replaced", counts[0]).addKeyValue("deleted", counts[1])
                    .addKeyValue("failed", counts[2]).addKeyValue("full", full).log("FIB applied");
        }
        return new Applied(counts[0], counts[1], counts[2], full);
    }

    /** One kernel change from {@code have} to {@code want}; on failure the prefix stays dirty with {@code have}. */
    private void change(Prefix p, List<InetAddress> want, List<InetAddress> have, int[] counts) {
        if (same(want, have)) {
            return;
        }
        try {
            if (want == null) {
                kernel.delete(new KernelRoute(p, have, KernelRoute.Type.UNICAST, protocol, table));
                counts[1]++;
            } else {
                kernel.replace(new KernelRoute(p, want, KernelRoute.Type.UNICAST, protocol, table));
                counts[0]++;
            }
        } catch (RuntimeException e) {
            counts[2]++;
            dirty.put(p, have == null ? NONE : have);
            log.atWarn().addKeyValue("prefix", p).addKeyValue("want", want).addKeyValue("error", e.getMessage())
                    .log("kernel route change failed; will retry");
        }
    }

    private static boolean same(List<InetAddress> a, List<InetAddress> b) {
        return a == null ? b == null : a.equals(b);
    }

    /** Gateways of the ECMP set: first next hop of each path, in order, without duplicates; our own routes excluded. */
    static List<InetAddress> gateways(List<Path> multipath) {
        if (multipath.size() == 1) {
            Path p = multipath.getFirst();
            if (p.source().kind() == Peer.Kind.LOCAL || p.attrs().nextHops().isEmpty()) {
                return null;
            }
            List<InetAddress> nh = p.attrs().nextHops();
            return nh.size() == 1 ? nh : List.of(nh.getFirst());
        }
        Set<InetAddress> out = new LinkedHashSet<>();
        for (Path p : multipath) {
            if (p.source().kind() != Peer.Kind.LOCAL && !p.attrs().nextHops().isEmpty()) {
                out.add(p.attrs().nextHops().getFirst());
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }
}
