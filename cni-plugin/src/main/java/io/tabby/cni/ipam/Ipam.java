package io.tabby.cni.ipam;

import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imperative shell around {@link Allocator}: snapshot, plan, one compare-and-swap, and again
 * from a fresh snapshot when another writer got there first. Safe to call from many threads and
 * many nodes at once: the store's CAS, not any lock here, is what keeps an address single-owned.
 */
public final class Ipam {
    private static final Logger log = LoggerFactory.getLogger(Ipam.class);
    /** Calico's {@code datastoreRetries}. */
    static final int RETRIES = 100;

    private final Store store;

    public Ipam(Store store) {
        this.store = store;
    }

    public Store store() {
        return store;
    }

    /** An address given to a handle; {@code block} is the block it came from. */
    public record Assigned(InetAddress address, IpNet block, boolean borrowed) {
        public IpNet hostNet() {
            return IpNet.host(address);
        }
    }

    /**
     * Assigns one address per request (one per family). If a later family fails, the earlier ones
     * are released again, so a half dual-stack pod leaks nothing.
     */
    public List<Assigned> assignAll(List<AssignRequest> requests) {
        List<Assigned> out = new ArrayList<>();
        try {
            for (AssignRequest r : requests) {
                out.add(assign(r));
            }
            return out;
        } catch (RuntimeException e) {
            if (!out.isEmpty()) {
                release(requests.getFirst().handle());
            }
            throw e;
        }
    }

    public Assigned assign(AssignRequest req) {
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            List<Versioned<Block>> snapshot = store.blocks();
            Allocator.Plan plan = Allocator.plan(req, store.pools(), store.config(), snapshot.stream().map(Versioned::value).toList());
            try {
                switch (plan) {
                    case Allocator.Existing e -> {
                        return new Assigned(e.address(), e.block().cidr(), !req.node().equals(e.block().affinity()));
                    }
                    case Allocator.Claim c -> {
                        store.create(c.block());
                        log.atInfo().addKeyValue("node", req.node()).addKeyValue("block", c.block().cidr())
                                .addKeyValue("handle", req.handle()).log("claimed block");
                        return new Assigned(c.address(), c.block().cidr(), false);
                    }
                    case Allocator.Update u -> {
                        store.update(versionOf(snapshot, u.before()), u.after());
                        return new Assigned(u.address(), u.after().cidr(), u.borrowed());
                    }
                    case Allocator.Refused r -> throw new CniError(CniError.IPAM_EXHAUSTED, "no address for " + req.handle(), r.reason());
                }
            } catch (ConflictException lost) {
                log.atDebug().addKeyValue("handle", req.handle()).addKeyValue("attempt", attempt)
                        .addKeyValue("why", lost.getMessage()).log("ipam write conflict, retrying");
            }
        }
        throw new CniError(CniError.TRY_AGAIN_LATER, "IPAM datastore too contended", RETRIES + " conflicting writes for " + req.handle());
    }

    /** Releases every address of {@code handle}; returns how many. Unknown handles release 0. */
    public int release(String handle) {
        return releaseWhere(a -> a.handle().equals(handle));
    }

    /**
     * CNI GC: releases the addresses this node gave to attachments of {@code network} that are not
     * in {@code validHandles}. Other networks and other nodes are left alone.
     */
    public int gc(String network, String node, Set<String> validHandles) {
        String prefix = network + ".";
        return releaseWhere(a -> a.node().equals(node) && a.handle().startsWith(prefix) && !validHandles.contains(a.handle()));
    }

    /**
     * The leak sweep: releases allocations older than {@code grace} whose pod {@code podGone} says no
     * longer exists. Allocations without a pod (not Kubernetes) are never swept.
     */
    public int sweep(Predicate<Allocation> podGone, Duration grace, long now) {
        return releaseWhere(a -> !a.pod().isEmpty() && now - a.timestamp() >= grace.toMillis() && podGone.test(a));
    }

    /**
     * Releases every allocation matching {@code which}, one block per CAS. On a conflict the block
     * is re-read and the predicate re-evaluated, so an address re-allocated meanwhile to a live
     * owner is never freed from under it.
     */
    int releaseWhere(Predicate<Allocation> which) {
        int released = 0;
        for (int attempt = 0; attempt < RETRIES; attempt++) {
            boolean conflicted = false;
            for (Versioned<Block> vb : store.blocks()) {
                Block b = vb.value();
                Block next = b;
                for (var e : b.allocations().entrySet()) {
                    if (which.test(e.getValue())) {
                        next = next.release(e.getKey(), e.getValue());
                    }
                }
                if (next == b) {
                    continue;
                }
                try {
                    store.update(vb, next);
                    int n = b.allocations().size() - next.allocations().size();
                    released += n;
                    log.atInfo().addKeyValue("block", b.cidr()).addKeyValue("released", n).log("released addresses");
                } catch (ConflictException lost) {
                    conflicted = true;
                }
            }
            if (!conflicted) {
                return released;
            }
        }
        throw new CniError(CniError.TRY_AGAIN_LATER, "IPAM datastore too contended", RETRIES + " conflicting release attempts");
    }

    /** Deletes blocks with no allocations (their affinity goes with them); for GC and node removal. */
    public int releaseEmptyBlocks(Predicate<Block> which) {
        int n = 0;
        for (Versioned<Block> vb : store.blocks()) {
            if (vb.value().isEmpty() && which.test(vb.value())) {
                try {
                    store.delete(vb);
                    n++;
                } catch (ConflictException lost) {
                    // someone allocated from it meanwhile: it is in use, keep it
                }
            }
        }
        return n;
    }

    private static Versioned<Block> versionOf(List<Versioned<Block>> snapshot, Block b) {
        for (Versioned<Block> v : snapshot) {
            if (v.value() == b) {
                return v;
            }
        }
        throw new IllegalStateException("plan refers to a block not in the snapshot: " + b.cidr());
    }
}
