package io.tabby.cni.ipam;

import io.tabby.cni.types.IpNet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One block of a pool (Calico {@code IPAMBlock}): its CIDR, the node it is affine to (null once
 * released), the allocations by ordinal, and the free ordinals in the order they will be handed
 * out. Freed ordinals go to the back, so an address is reused as late as possible (stale conntrack
 * and ARP entries of its previous pod have time to expire). Immutable: every change returns a new
 * block.
 */
public record Block(IpNet cidr, String affinity, Map<Integer, Allocation> allocations, List<Integer> unallocated) {
    public Block {
        if (!cidr.equals(cidr.network())) {
            throw new IllegalArgumentException("block cidr " + cidr + " has host bits set");
        }
        allocations = Collections.unmodifiableMap(new TreeMap<>(allocations));
        unallocated = List.copyOf(unallocated);
    }

    /** A fresh block affine to {@code node} with every ordinal free, in address order. */
    public static Block empty(IpNet cidr, String node) {
        int size = cidr.size().intValueExact();
        List<Integer> free = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            free.add(i);
        }
        return new Block(cidr, node, Map.of(), free);
    }

    /** The Kubernetes object name: {@code 10-244-1-0-26}. */
    public String name() {
        return cidr.dnsLabel();
    }

    public int size() {
        return cidr.size().intValueExact();
    }

    public boolean isEmpty() {
        return allocations.isEmpty();
    }

    public Optional<Integer> nextFree() {
        return unallocated.isEmpty() ? Optional.empty() : Optional.of(unallocated.getFirst());
    }

    public InetAddress address(int ordinal) {
        return cidr.addressAt(ordinal);
    }

    public int ordinalOf(InetAddress a) {
        return (int) cidr.offsetOf(a);
    }

    public Block allocate(int ordinal, Allocation a) {
        if (allocations.containsKey(ordinal) || !unallocated.contains(ordinal)) {
            throw new IllegalStateException("ordinal " + ordinal + " of " + cidr + " is not free");
        }
        Map<Integer, Allocation> m = new TreeMap<>(allocations);
        m.put(ordinal, a);
        List<Integer> free = new ArrayList<>(unallocated);
        free.remove(Integer.valueOf(ordinal));
        return new Block(cidr, affinity, m, free);
    }

    /** Releases every ordinal held by {@code handle}; the same block if it holds none. */
    public Block releaseHandle(String handle) {
        return release(e -> e.getValue().handle().equals(handle));
    }

    /** Releases {@code ordinal} only if {@code expected} still holds it (the GC's re-check). */
    public Block release(int ordinal, Allocation expected) {
        return release(e -> e.getKey() == ordinal && e.getValue().equals(expected));
    }

    private Block release(java.util.function.Predicate<Map.Entry<Integer, Allocation>> which) {
        Map<Integer, Allocation> m = new TreeMap<>(allocations);
        List<Integer> free = new ArrayList<>(unallocated);
        boolean changed = false;
        for (var e : allocations.entrySet()) {
            if (which.test(e)) {
                m.remove(e.getKey());
                free.add(e.getKey());
                changed = true;
            }
        }
        return changed ? new Block(cidr, affinity, m, free) : this;
    }

    public Block withAffinity(String node) {
        return new Block(cidr, node, allocations, unallocated);
    }
}
