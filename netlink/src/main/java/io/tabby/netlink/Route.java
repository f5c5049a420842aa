package io.tabby.netlink;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * A route (RTM_NEWROUTE): destination prefix, gateway, output link (index, 0 for none), scope,
 * table, protocol, type, metric, flags ({@link #ONLINK}), preferred source and, for ECMP, the
 * next hops (then gateway and link are empty).
 *
 * <p>Built like {@code ip route} reads:
 * <pre>{@code
 * Route.to("10.244.1.0/26").via("10.99.0.12").dev(eth0).protocol(TABBY).onlink()
 * }</pre>
 *
 * <p>{@code scope} empty means iproute2's default: on add, {@code link} when there is no
 * gateway and no next hop list, else {@code global}; on delete, any scope. {@code protocol}
 * {@link RouteProtocol#UNSPEC} means {@code boot} on add and any protocol on delete.
 */
public record Route(IpPrefix dst, Optional<InetAddress> gateway, int linkIndex, Optional<Scope> scope,
                    int table, RouteProtocol protocol, RouteType type, int metric, int flags,
                    Optional<InetAddress> prefSrc, List<NextHop> multipath) {
    /** RTNH_F_ONLINK: the gateway is on-link even if no local prefix covers it. */
    public static final int ONLINK = 4;
    public static final int TABLE_UNSPEC = 0;
    public static final int TABLE_DEFAULT = 253;
    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;

    public Route {
        multipath = List.copyOf(multipath);
        if (table < 0) {
            throw new IllegalArgumentException("route table must be 0..2^31-1, was " + table);
        }
        if (metric < 0) {
            throw new IllegalArgumentException("route metric must be non-negative, was " + metric);
        }
    }

    /** A unicast route to {@code dst} in the main table; add a gateway, a link or next hops. */
    public static Route to(String dst) {
        return to(dst.equals("default") ? IpPrefix.parse("0.0.0.0/0") : IpPrefix.parse(dst));
    }

    public static Route to(IpPrefix dst) {
        return new Route(dst.network(), Optional.empty(), 0, Optional.empty(), TABLE_MAIN, RouteProtocol.UNSPEC,
                RouteType.UNICAST, 0, 0, Optional.empty(), List.of());
    }

    public Route via(String gw) {
        return via(IpPrefix.parseAddress(gw));
    }

    public Route via(InetAddress gw) {
        return new Route(dst, Optional.of(gw), linkIndex, scope, table, protocol, type, metric, flags, prefSrc, multipath);
    }

    /** The output link, by index ({@link Link#index()}). */
    public Route dev(int index) {
        return new Route(dst, gateway, index, scope, table, protocol, type, metric, flags, prefSrc, multipath);
    }

    public Route scope(Scope s) {
        return new Route(dst, gateway, linkIndex, Optional.of(s), table, protocol, type, metric, flags, prefSrc, multipath);
    }

    public Route table(int t) {
        return new Route(dst, gateway, linkIndex, scope, t, protocol, type, metric, flags, prefSrc, multipath);
    }

    public Route protocol(RouteProtocol p) {
        return new Route(dst, gateway, linkIndex, scope, table, p, type, metric, flags, prefSrc, multipath);
    }

    public Route type(RouteType t) {
        return new Route(dst, gateway, linkIndex, scope, table, protocol, t, metric, flags, prefSrc, multipath);
    }

    public Route metric(int m) {
        return new Route(dst, gateway, linkIndex, scope, table, protocol, type, m, flags, prefSrc, multipath);
    }

    public Route onlink() {
        return new Route(dst, gateway, linkIndex, scope, table, protocol, type, metric, flags | ONLINK, prefSrc, multipath);
    }

    public Route src(String address) {
        return new Route(dst, gateway, linkIndex, scope, table, protocol, type, metric, flags,
                Optional.of(IpPrefix.parseAddress(address)), multipath);
    }

    /** ECMP: replaces gateway and link with these next hops. */
    public Route nextHops(List<NextHop> hops) {
        return new Route(dst, Optional.empty(), 0, scope, table, protocol, type, metric, flags, prefSrc, hops);
    }

    public Family family() {
        return dst.family();
    }

    public boolean isOnlink() {
        return (flags & ONLINK) != 0;
    }
}
