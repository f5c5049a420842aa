package io.tabby.bgp.fib;

import io.tabby.bgp.rib.BestPath;
import io.tabby.netlink.Route;
import io.tabby.netlink.RouteType;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Next-hop reachability from the kernel's routing table (the namespace the speaker runs in), as
 * the {@link BestPath.NextHopCost} the decision process asks (RFC 4271 9.1.2: a route whose
 * NEXT_HOP does not resolve is not a candidate). A next hop resolves through the longest matching
 * unicast route of the table, at that route's metric; routes of our own protocol never resolve
 * (no recursion through BGP) and neither does the default route (FRR's default, {@code ip nht
 * resolve-via-default} off), so losing the specific route really makes a next hop unreachable.
 *
 * <p>In: the table dumped at start ({@link #reset}) and route change events ({@link #apply}). Out:
 * {@link #cost}. Owned by the RIB's thread, like the RIB that asks it.
 */
public final class NextHopTable implements BestPath.NextHopCost {
    private record Key(InetAddress network, int length, int metric) {}

    private final int table;
    private final int ourProtocol;
    private final Map<Key, Route> routes = new HashMap<>();
    private final Map<InetAddress, Long> cache = new HashMap<>();

    public NextHopTable(int table, int ourProtocol) {
        this.table = table;
        this.ourProtocol = ourProtocol;
    }

    /** Replaces everything with a full dump (at start and after an event overflow). True if anything changed. */
    public boolean reset(List<Route> dump) {
        Map<Key, Route> before = Map.copyOf(routes);
        routes.clear();
        for (Route r : dump) {
            if (relevant(r)) {
                routes.put(key(r), r);
            }
        }
        cache.clear();
        return !before.keySet().equals(routes.keySet());
    }

    /**
     * One RTM_NEWROUTE / RTM_DELROUTE. True if a next hop the RIB has resolved now resolves
     * differently, i.e. only when best paths need re-running: a node's kernel changes all the
     * time (a /32 per pod), and re-running every prefix for routes no path depends on would put
     * the whole RIB on the CNI's hot path.
     */
    public boolean apply(boolean removed, Route r) {
        if (!relevant(r)) {
            return false;
        }
        boolean changed = removed ? routes.remove(key(r)) != null : routes.put(key(r), r) == null;
        return changed && reresolve();
    }

    /** Resolves the cached next hops again; true if any result differs. */
    private boolean reresolve() {
        boolean differs = false;
        for (Map.Entry<InetAddress, Long> e : cache.entrySet()) {
            long now = lookup(e.getKey());
            if (now != e.getValue()) {
                e.setValue(now);
                differs = true;
            }
        }
        return differs;
    }

    private boolean relevant(Route r) {
        return r.table() == table && r.protocol().value() != ourProtocol && r.type() == RouteType.UNICAST
                && r.dst().length() > 0;
    }

    private static Key key(Route r) {
        return new Key(r.dst().network().address(), r.dst().length(), r.metric());
    }

    @Override
    public long cost(InetAddress nextHop) {
        Long c = cache.get(nextHop);
        if (c == null) {
            c = lookup(nextHop);
            cache.put(nextHop, c);
        }
        return c;
    }

    private long lookup(InetAddress nh) {
        int bestLen = -1;
        long bestMetric = UNREACHABLE;
        for (Key k : routes.keySet()) {
            if (k.length() >= bestLen && covers(k.network(), k.length(), nh)) {
                if (k.length() > bestLen || k.metric() < bestMetric) {
                    bestLen = k.length();
                    bestMetric = Integer.toUnsignedLong(k.metric());
                }
            }
        }
        return bestMetric;
    }

    static boolean covers(InetAddress network, int length, InetAddress a) {
        byte[] n = network.getAddress();
        byte[] x = a.getAddress();
        if (n.length != x.length) {
            return false;
        }
        int full = length / 8;
        if (!Arrays.equals(n, 0, full, x, 0, full)) {
            return false;
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (n[full] & mask) == (x[full] & mask);
    }

    public int size() {
        return routes.size();
    }
}
