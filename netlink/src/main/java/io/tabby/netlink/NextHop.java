package io.tabby.netlink;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One next hop of a multipath (ECMP) route: gateway, output link, weight 1..256 and flags
 * ({@link Route#ONLINK}). Equivalent to {@code nexthop via GW dev DEV weight W [onlink]}.
 */
public record NextHop(Optional<InetAddress> gateway, int linkIndex, int weight, int flags) {
    public NextHop {
        if (weight < 1 || weight > 256) {
            throw new IllegalArgumentException("next hop weight out of range 1..256: " + weight);
        }
    }

    public static NextHop via(String gateway, int linkIndex) {
        return new NextHop(Optional.of(IpPrefix.parseAddress(gateway)), linkIndex, 1, 0);
    }

    public static NextHop dev(int linkIndex) {
        return new NextHop(Optional.empty(), linkIndex, 1, 0);
    }

    public NextHop weight(int w) {
        return new NextHop(gateway, linkIndex, w, flags);
    }

    public NextHop onlink() {
        return new NextHop(gateway, linkIndex, weight, flags | Route.ONLINK);
    }
}
