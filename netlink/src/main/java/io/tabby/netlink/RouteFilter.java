package io.tabby.netlink;

import java.util.Optional;

/**
 * What {@link NetlinkHandle#routeList(RouteFilter)} returns: a family, a table
 * ({@link Route#TABLE_UNSPEC} for all tables), a protocol ({@link RouteProtocol#UNSPEC} for
 * any), and optionally one output link. Table and protocol are also passed to the kernel, which
 * filters the dump itself (NETLINK_GET_STRICT_CHK).
 */
public record RouteFilter(Family family, int table, RouteProtocol protocol, int linkIndex, Optional<RouteType> type) {
    /** The main table, both families, any protocol: what {@code ip route} and {@code ip -6 route} show. */
    public static RouteFilter main() {
        return new RouteFilter(Family.ALL, Route.TABLE_MAIN, RouteProtocol.UNSPEC, 0, Optional.empty());
    }

    /** Every table. */
    public static RouteFilter all() {
        return new RouteFilter(Family.ALL, Route.TABLE_UNSPEC, RouteProtocol.UNSPEC, 0, Optional.empty());
    }

    public RouteFilter family(Family f) {
        return new RouteFilter(f, table, protocol, linkIndex, type);
    }

    public RouteFilter table(int t) {
        return new RouteFilter(family, t, protocol, linkIndex, type);
    }

    public RouteFilter protocol(RouteProtocol p) {
        return new RouteFilter(family, table, p, linkIndex, type);
    }

    public RouteFilter dev(int index) {
        return new RouteFilter(family, table, protocol, index, type);
    }

    public RouteFilter type(RouteType t) {
        return new RouteFilter(family, table, protocol, linkIndex, Optional.of(t));
    }

    /** Whether a route from a dump matches; the kernel's filter is a hint, this is the rule. */
    public boolean matches(Route r) {
        return (family == Family.ALL || r.family() == family)
                && (table == Route.TABLE_UNSPEC || r.table() == table)
                && (protocol.value() == 0 || r.protocol().equals(protocol))
                && (linkIndex == 0 || r.linkIndex() == linkIndex
                        || r.multipath().stream().anyMatch(h -> h.linkIndex() == linkIndex))
                && type.map(t -> r.type() == t).orElse(true);
    }
}
