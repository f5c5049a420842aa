package io.tabby.cni.ipam;

import io.tabby.cni.types.IpNet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What {@code tabby ipam show} and {@code tabby ipam check} print, computed from a snapshot. Pure.
 */
public final class Audit {
    private Audit() {}

    /** Blocks, addresses in use and borrowed addresses of one node. */
    public record NodeUse(String node, int blocks, int capacity, int used, int borrowedOut) {}

    /** One finding of {@link #check}; {@code kind} is a stable word for scripts. */
    public record Problem(String kind, String what) {}

    public static List<NodeUse> usage(List<Block> blocks) {
        Map<String, int[]> m = new TreeMap<>();
        for (Block b : blocks) {
            String owner = b.affinity() == null ? "(none)" : b.affinity();
            int[] u = m.computeIfAbsent(owner, k -> new int[4]);
            u[0]++;
            u[1] += b.size();
            u[2] += b.allocations().size();
            u[3] += (int) b.allocations().values().stream().filter(a -> !a.node().equals(owner)).count();
        }
        List<NodeUse> out = new ArrayList<>();
        m.forEach((n, u) -> out.add(new NodeUse(n, u[0], u[1], u[2], u[3])));
        return out;
    }

    /**
     * Conflicts (overlapping blocks, blocks outside every pool, ordinals counted twice or lost, one
     * handle holding two addresses of a family) and leaks (allocations whose pod {@code podGone}
     * says no longer exists).
     */
    public static List<Problem> check(List<IpPool> pools, List<Block> blocks, Predicate<Allocation> podGone) {
        List<Problem> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block a = blocks.get(i);
            if (pools.stream().noneMatch(p -> p.cidr().contains(a.cidr()))) {
                out.add(new Problem("orphan-block", a.cidr() + " is in no pool"));
            }
            for (int j = i + 1; j < blocks.size(); j++) {
                Block b = blocks.get(j);
                if (a.cidr().contains(b.cidr()) || b.cidr().contains(a.cidr())) {
                    out.add(new Problem("overlap", a.cidr() + " overlaps " + b.cidr()));
                }
            }
            List<Integer> free = a.unallocated();
            if (free.size() + a.allocations().size() != a.size() || free.stream().distinct().count() != free.size()
                    || free.stream().anyMatch(a.allocations()::containsKey)) {
                out.add(new Problem("bad-accounting", a.cidr() + ": " + a.allocations().size() + " used + " + free.size()
                        + " free != " + a.size() + " or an ordinal is listed twice"));
            }
        }
        Map<String, List<String>> byHandle = new HashMap<>();
        for (Block b : blocks) {
            b.allocations().forEach((ord, al) -> {
                String addr = IpNet.format(b.address(ord));
                byHandle.computeIfAbsent(al.handle() + (b.cidr().isV4() ? "/4" : "/6"), k -> new ArrayList<>()).add(addr);
                if (podGone.test(al)) {
                    out.add(new Problem("leak", addr + " held by " + al.handle() + " for gone pod " + al.namespace() + "/" + al.pod()));
                }
            });
        }
        byHandle.forEach((h, addrs) -> {
            if (addrs.size() > 1) {
                out.add(new Problem("multiple", "handle " + h.substring(0, h.length() - 2) + " holds " + addrs));
            }
        });
        return out;
    }
}
