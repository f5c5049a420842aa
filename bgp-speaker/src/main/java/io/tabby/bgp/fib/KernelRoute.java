package io.tabby.bgp.fib;

import io.tabby.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.List;

/**
 * A kernel route as the FIB code needs it: destination, gateways (several = ECMP multipath),
 * type, the route protocol that marks who owns it ({@code rtm_protocol}), and the table.
 */
public record KernelRoute(Prefix prefix, List<InetAddress> gateways, Type type, int protocol, int table) {
    public enum Type { UNICAST, BLACKHOLE, UNREACHABLE, OTHER }

    public static final int TABLE_MAIN = 254;

    public KernelRoute {
        gateways = List.copyOf(gateways);
        if (prefix.pathId() != 0) {
            prefix = prefix.withPathId(0);
        }
    }
}
