package io.tabby.bgp.fib;

import io.tabby.bgp.policy.PrefixRange;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.wire.Prefix;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Selected kernel routes into BGP (BIRD's {@code protocol kernel { import ... }} + static export),
 * e.g. the blackhole routes Felix/IPAM installs for a node's pod blocks. {@link #select} is the
 * pure filter; {@link #sync} diffs the selection against what we originated last time and calls
 * the RIB for the difference. Routes of our own protocol are never redistributed (that would loop
 * BGP routes back into BGP).
 */
public final class Redistributor {
    /**
     * Which kernel routes to take: their types, protocols (empty = any except ours), and prefix
     * ranges they must fall in (empty = any).
     */
    public record Filter(Set<KernelRoute.Type> types, Set<Integer> protocols, List<PrefixRange> within) {
        public Filter {
            types = Set.copyOf(types);
            protocols = Set.copyOf(protocols);
            within = List.copyOf(within);
        }

        /** Calico's case: IPAM block blackholes inside the pool. */
        public static Filter blackholesWithin(String... ranges) {
            return new Filter(Set.of(KernelRoute.Type.BLACKHOLE), Set.of(),
                    java.util.Arrays.stream(ranges).map(PrefixRange::parse).toList());
        }
    }

    private final KernelRoutes kernel;
    private final int table;
    private final int ourProtocol;
    private final Filter filter;
    private final Function<Prefix, AttrSet> attrs;
    private final Set<Prefix> originated = new HashSet<>();

    /** @param attrs the attributes to originate each selected prefix with (next hop is set per neighbour) */
    public Redistributor(KernelRoutes kernel, int table, int ourProtocol, Filter filter, Function<Prefix, AttrSet> attrs) {
        this.kernel = kernel;
        this.table = table;
        this.ourProtocol = ourProtocol;
        this.filter = filter;
        this.attrs = attrs;
    }

    public static Set<Prefix> select(List<KernelRoute> routes, Filter f, int ourProtocol) {
        Set<Prefix> out = new HashSet<>();
        for (KernelRoute r : routes) {
            if (r.protocol() == ourProtocol || !f.types().contains(r.type())) {
                continue;
            }
            if (!f.protocols().isEmpty() && !f.protocols().contains(r.protocol())) {
                continue;
            }
            if (!f.within().isEmpty() && f.within().stream().noneMatch(w -> w.matches(r.prefix()))) {
                continue;
            }
            out.add(r.prefix());
        }
        return out;
    }

    /** Reads the kernel, originates what is newly selected and withdraws what is gone. Returns the count originated now. */
    public int sync(Rib rib) {
        Set<Prefix> want = select(kernel.list(table, 0), filter, ourProtocol);
        for (Prefix p : Set.copyOf(originated)) {
            if (!want.contains(p)) {
                rib.withdrawOriginated(p);
                originated.remove(p);
            }
        }
        for (Prefix p : want) {
            if (originated.add(p)) {
                rib.originate(p, attrs.apply(p));
            }
        }
        return originated.size();
    }
}
