package io.tabby.bgp.fib;

import io.tabby.bgp.wire.Prefix;
import io.tabby.netlink.IpPrefix;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.NextHop;
import io.tabby.netlink.Route;
import io.tabby.netlink.RouteFilter;
import io.tabby.netlink.RouteProtocol;
import io.tabby.netlink.RouteType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link KernelRoutes} over the {@code netlink} module, in the namespace the handle was opened in
 * (the handle decides: open it inside the node's namespace, never the root one in tests). ECMP
 * becomes {@code RTA_MULTIPATH}; a single gateway a plain {@code via}.
 */
public final class NetlinkKernelRoutes implements KernelRoutes {
    private final NetlinkHandle handle;

    public NetlinkKernelRoutes(NetlinkHandle handle) {
        this.handle = handle;
    }

    @Override
    public List<KernelRoute> list(int table, int protocol) {
        List<KernelRoute> out = new ArrayList<>();
        for (Route r : handle.routeList(RouteFilter.all().table(table).protocol(new RouteProtocol(protocol)))) {
            List<InetAddress> gws = new ArrayList<>();
            r.gateway().ifPresent(gws::add);
            r.multipath().forEach(h -> h.gateway().ifPresent(gws::add));
            KernelRoute.Type t = switch (r.type()) {
                case UNICAST -> KernelRoute.Type.UNICAST;
                case BLACKHOLE -> KernelRoute.Type.BLACKHOLE;
                case UNREACHABLE -> KernelRoute.Type.UNREACHABLE;
                default -> KernelRoute.Type.OTHER;
            };
            out.add(new KernelRoute(new Prefix(r.dst().address(), r.dst().length()), gws, t, r.protocol().value(),
                    r.table()));
        }
        return out;
    }

    @Override
    public void replace(KernelRoute route) {
        handle.routeReplace(toNetlink(route));
    }

    @Override
    public void delete(KernelRoute route) {
        // Delete by destination, table and protocol: whatever its next hops are now, it is ours.
        handle.routeDel(Route.to(dst(route)).table(route.table()).protocol(new RouteProtocol(route.protocol())));
    }

    private static IpPrefix dst(KernelRoute r) {
        return new IpPrefix(r.prefix().address(), r.prefix().length());
    }

    static Route toNetlink(KernelRoute r) {
        Route base = Route.to(dst(r)).table(r.table()).protocol(new RouteProtocol(r.protocol()));
        return switch (r.type()) {
            case BLACKHOLE -> base.type(RouteType.BLACKHOLE);
            case UNREACHABLE -> base.type(RouteType.UNREACHABLE);
            case OTHER -> throw new IllegalArgumentException("cannot install a route of type OTHER: " + r);
            case UNICAST -> {
                if (r.gateways().isEmpty()) {
                    throw new IllegalArgumentException("unicast route " + r.prefix() + " has no gateway");
                }
                if (r.gateways().size() == 1) {
                    yield base.via(r.gateways().getFirst());
                }
                List<NextHop> hops = r.gateways().stream()
                        .map(g -> new NextHop(Optional.of(g), 0, 1, 0)).toList();
                yield base.nextHops(hops);
            }
        };
    }
}
