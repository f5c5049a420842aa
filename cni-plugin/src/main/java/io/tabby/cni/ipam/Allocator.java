package io.tabby.cni.ipam;

import io.tabby.cni.types.IpNet;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides how to serve one {@link AssignRequest} from a snapshot (calico-behaviours.md 2.2,
 * {@code autoAssign}/{@code findOrClaimBlock}). Pure: the same snapshot gives the same plan. The
 * order of preference:
 * <ol>
 *   <li>the handle already holds an address of this family: return it (ADD is idempotent);</li>
 *   <li>a specific address was asked for: take it in its block, claiming the block if unclaimed;</li>
 *   <li>a free ordinal in one of this node's blocks;</li>
 *   <li>claim an unclaimed block (below the per-node cap), searched from an offset derived from
 *       the node name so that nodes starting together do not all race for the first block;</li>
 *   <li>only when no pool has an unclaimed block left and strict affinity is off: borrow a free
 *       ordinal from another node's block.</li>
 * </ol>
 */
public final class Allocator {
    private Allocator() {}

    /** The one write that serves a request, or why none can. */
    public sealed interface Plan {}

    /** The handle already holds {@code address} in {@code block}; nothing to write. */
    public record Existing(Block block, InetAddress address) implements Plan {}

    /** Replace {@code before} by {@code after}, which allocates {@code address}. */
    public record Update(Block before, Block after, InetAddress address, boolean borrowed) implements Plan {}

    /** Create {@code block} (new, affine to the node) already holding {@code address}. */
    public record Claim(Block block, InetAddress address) implements Plan {}

    /** No address can be given; {@code reason} says why in words an operator can act on. */
    public record Refused(String reason) implements Plan {}

    public static Plan plan(AssignRequest req, List<IpPool> allPools, IpamConfig cfg, List<Block> blocks) {
        for (Block b : blocks) {
            if (b.cidr().isV4() != req.ipv4()) {
                continue;
            }
            for (var e : b.allocations().entrySet()) {
                if (e.getValue().handle().equals(req.handle())) {
                    return new Existing(b, b.address(e.getKey()));
                }
            }
        }
        List<IpPool> pools = candidates(req, allPools);
        String family = req.ipv4() ? "IPv4" : "IPv6";
        if (req.address() != null) {
            return specific(req, allPools.stream().filter(p -> p.cidr().isV4() == req.ipv4()).toList(), blocks);
        }
        if (pools.isEmpty()) {
            return new Refused("no enabled " + family + " pool" + (req.pools().isEmpty() ? "" : " among " + req.pools())
                    + " selects node " + req.node());
        }
        List<Block> inPools = blocks.stream().filter(b -> poolOf(b.cidr(), pools) != null)
                .sorted(Comparator.comparing(b -> IpNet.format(b.cidr().address()))).toList();
        long own = blocks.stream().filter(b -> req.node().equals(b.affinity())).count();
        for (Block b : inPools) {
            if (req.node().equals(b.affinity()) && b.nextFree().isPresent()) {
                return update(req, b, b.nextFree().get(), false);
            }
        }
        Optional<IpNet> unclaimed = unclaimed(req.node(), pools, blocks);
        int cap = cfg.maxBlocksPerHost() <= 0 ? 20 : cfg.maxBlocksPerHost();
        if (unclaimed.isPresent() && own < cap) {
            Block fresh = Block.empty(unclaimed.get(), req.node());
            int ordinal = fresh.nextFree().orElseThrow();
            return new Claim(fresh.allocate(ordinal, req.allocation()), fresh.address(ordinal));
        }
        if (unclaimed.isEmpty() && !cfg.strictAffinity()) {
            for (Block b : inPools) {
                if (!req.node().equals(b.affinity()) && b.nextFree().isPresent()) {
                    return update(req, b, b.nextFree().get(), true);
                }
            }
        }
        if (unclaimed.isPresent()) {
            return new Refused("node " + req.node() + " reached its limit of " + cap + " blocks and its blocks are full");
        }
        return new Refused("the " + family + " pools " + pools.stream().map(IpPool::name).toList() + " are exhausted"
                + (cfg.strictAffinity() ? " for node " + req.node() + " (strict affinity: no borrowing)" : ""));
    }

    private static Plan update(AssignRequest req, Block b, int ordinal, boolean borrowed) {
        return new Update(b, b.allocate(ordinal, req.allocation()), b.address(ordinal), borrowed);
    }

    private static Plan specific(AssignRequest req, List<IpPool> familyPools, List<Block> blocks) {
        InetAddress a = req.address();
        IpPool pool = familyPools.stream().filter(p -> p.cidr().contains(a)).findFirst().orElse(null);
        if (pool == null) {
            return new Refused("requested address " + IpNet.format(a) + " is in no IP pool");
        }
        IpNet blockCidr = new IpNet(a, pool.blockSize()).network();
        for (Block b : blocks) {
            if (b.cidr().equals(blockCidr)) {
                int ordinal = b.ordinalOf(a);
                if (b.allocations().containsKey(ordinal)) {
                    return new Refused("requested address " + IpNet.format(a) + " is already in use by "
                            + b.allocations().get(ordinal).handle());
                }
                return update(req, b, ordinal, !req.node().equals(b.affinity()));
            }
            if (b.cidr().contains(a) || blockCidr.contains(b.cidr())) {
                return new Refused("requested address " + IpNet.format(a) + " overlaps block " + b.cidr() + " of another size");
            }
        }
        Block fresh = Block.empty(blockCidr, req.node());
        int ordinal = fresh.ordinalOf(a);
        return new Claim(fresh.allocate(ordinal, req.allocation()), a);
    }

    /** Enabled pools of the family whose node selector matches, narrowed to the requested ones. */
    static List<IpPool> candidates(AssignRequest req, List<IpPool> pools) {
        return pools.stream()
                .filter(p -> p.cidr().isV4() == req.ipv4())
                .filter(p -> !p.disabled())
                .filter(p -> req.pools().isEmpty() || req.pools().contains(p.name()) || req.pools().contains(p.cidr().toString()))
                .filter(p -> NodeSelector.matches(p.nodeSelector(), req.nodeLabels()))
                .toList();
    }

    static IpPool poolOf(IpNet block, List<IpPool> pools) {
        for (IpPool p : pools) {
            if (p.cidr().contains(block)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The first block-sized subnet no block covers, walking each pool from an offset that depends on
     * the node name (Calico seeds a random walk with the host name for the same reason).
     */
    static Optional<IpNet> unclaimed(String node, List<IpPool> pools, List<Block> blocks) {
        Map<String, Block> taken = new HashMap<>();
        for (Block b : blocks) {
            taken.put(b.cidr().toString(), b);
        }
        for (IpPool p : pools) {
            long n = p.blockCount();
            long start = Math.floorMod((long) node.hashCode() * 0x9E3779B1L, n);
            for (long i = 0; i < n; i++) {
                IpNet candidate = p.cidr().subnet(p.blockSize(), (start + i) % n);
                if (!taken.containsKey(candidate.toString()) && blocks.stream().noneMatch(b -> overlaps(b.cidr(), candidate))) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean overlaps(IpNet a, IpNet b) {
        return a.contains(b) || b.contains(a);
    }
}
