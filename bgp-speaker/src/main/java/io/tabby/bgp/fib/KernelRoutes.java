package io.tabby.bgp.fib;

import java.util.List;

/**
 * The seam to the kernel's routing table that {@link FibExporter} and {@link Redistributor} are
 * written against: a netlink handle in one namespace in production ({@link NetlinkKernelRoutes}),
 * a map in tests ({@code FakeKernelRoutes}). Each call is one kernel operation.
 */
public interface KernelRoutes {
    /** Routes of {@code table} (both families); {@code protocol} 0 means any. Equivalent to {@code ip route show table T [proto P]}. */
    List<KernelRoute> list(int table, int protocol);

    /** Adds or replaces the route for its prefix. Equivalent to {@code ip route replace}. */
    void replace(KernelRoute route);

    /** Deletes the route. Equivalent to {@code ip route del PREFIX table T proto P}. */
    void delete(KernelRoute route);
}
