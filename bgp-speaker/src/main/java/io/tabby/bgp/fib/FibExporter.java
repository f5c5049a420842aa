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
 * the RIB, so the desired table costs a map slot per route.
 *
 * <p>Single-threaded (the RIB's thread); kernel calls happen only in {@link #apply}.
 */
public final class FibExporter {
    private static final Logger log = LoggerFactory.getLogger(FibExporter.class);

    /** What one apply did. */
    public record Applied(int replaced, int deleted, int failed, boolean fullSync) {}

    private final KernelRoutes kernel;
    private final int protocol;
    private final int table;
    private final PrefixMap<List<InetAddress>> desired = new PrefixMap<>();
    private final PrefixMap<List<InetAddress>> actual = new PrefixMap<>();
    private final Set<Prefix> dirty = new LinkedHashSet<>();
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
        if (old == null ? gws != null : !old.equals(gws)) {
            dirty.add(c.prefix());
        }
    }

    /** Forces a full comparison with the kernel at the next apply (e.g. after a netlink error or a timer). */
    public void resync() {
        synced = false;
    }

    public int desiredCount() {
        return desired.size();
    }

    /** Makes the kernel match the desired state; returns what it did. Failed prefixes stay dirty. */
    public Applied apply() {
        boolean full = !synced;
        if (full) {
            actual.clear();
            for (KernelRoute r : kernel.list(table, protocol)) {
                if (r.protocol() == protocol && r.table() == table) {
                    actual.put(r.prefix(), r.gateways());
                    dirty.add(r.prefix());
                }
            }
            desired.forEach((p, v) -> dirty.add(p));
            synced = true;
        }
        int replaced = 0;
        int deleted = 0;
        int failed = 0;
        List<Prefix> retry = new ArrayList<>();
        for (Prefix p : dirty) {
            List<InetAddress> want = desired.get(p);
            List<InetAddress> have = actual.get(p);
            if (want == null ? have == null : want.equals(have)) {
                continue;
            }
            try {
                if (want == null) {
                    kernel.delete(new KernelRoute(p, have, KernelRoute.Type.UNICAST, protocol, table));
                    actual.remove(p);
                    deleted++;
                } else {
                    kernel.replace(new KernelRoute(p, want, KernelRoute.Type.UNICAST, protocol, table));
                    actual.put(p, want);
                    replaced++;
                }
            } catch (RuntimeException e) {
                failed++;
                retry.add(p);
                log.atWarn().addKeyValue("prefix", p).addKeyValue("want", want).addKeyValue("error", e.getMessage())
                        .log("kernel route change failed; will retry");
            }
        }
        dirty.clear();
        dirty.addAll(retry);
        if (full || replaced + deleted + failed > 0) {
            log.atInfo().addKeyValue("replaced", replaced).addKeyValue("deleted", deleted).addKeyValue("failed", failed)
                    .addKeyValue("full", full).log("FIB applied");
        }
        return new Applied(replaced, deleted, failed, full);
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
