package io.tabby.bgp.fib;

import io.tabby.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A kernel routing table in a map, keyed like the kernel's (table, prefix), counting calls; can fail on demand. */
public final class FakeKernelRoutes implements KernelRoutes {
    record Key(int table, Prefix prefix) {}

    final Map<Key, KernelRoute> routes = new LinkedHashMap<>();
    public int replaces;
    public int deletes;
    Prefix failOn;

    /** Every route in the table, any protocol. */
    public List<KernelRoute> all() {
        return List.copyOf(routes.values());
    }

    public void add(KernelRoute r) {
        routes.put(new Key(r.table(), r.prefix()), r);
    }

    @Override
    public List<KernelRoute> list(int table, int protocol) {
        List<KernelRoute> out = new ArrayList<>();
        for (KernelRoute r : routes.values()) {
            if (r.table() == table && (protocol == 0 || r.protocol() == protocol)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void replace(KernelRoute route) {
        if (route.prefix().equals(failOn)) {
            throw new IllegalStateException("RTM_NEWROUTE " + route.prefix() + ": ENETUNREACH");
        }
        replaces++;
        routes.put(new Key(route.table(), route.prefix()), route);
    }

    @Override
    public void delete(KernelRoute route) {
        KernelRoute had = routes.get(new Key(route.table(), route.prefix()));
        if (had == null || had.protocol() != route.protocol()) {
            throw new IllegalStateException("RTM_DELROUTE " + route.prefix() + ": ESRCH");
        }
        deletes++;
        routes.remove(new Key(route.table(), route.prefix()));
    }
}
