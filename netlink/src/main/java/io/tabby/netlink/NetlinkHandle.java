package io.tabby.netlink;

import io.tabby.netlink.ns.NetNs;
import io.tabby.netlink.sys.Errno;
import io.tabby.netlink.wire.Ack;
import io.tabby.netlink.wire.Attr;
import io.tabby.netlink.wire.Frame;
import io.tabby.netlink.wire.Rt;
import io.tabby.netlink.wire.RtMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * rtnetlink for one network namespace, with iproute2's verbs. Open it with
 * {@link #open(NetNs)}: the socket is created on the namespace's own thread and from then on
 * works on that namespace whichever thread calls it. Calls are serialized; a handle may be
 * shared between threads.
 *
 * <p>Every request is validated before it is sent (names over 15 bytes, bad addresses, routes
 * without a way out) and fails with {@link IllegalArgumentException}; a refusal by the kernel is
 * a {@link NetlinkException} naming the operation, the object and the errno. Each request is
 * one kernel transaction, so a refused request changes nothing.
 */
public final class NetlinkHandle implements AutoCloseable {
    private final NetNs ns;
    private final NetlinkSocket socket;

    private NetlinkHandle(NetNs ns, NetlinkSocket socket) {
        this.ns = ns;
        this.socket = socket;
    }

    /**
     * Opens a handle on {@code ns}. The handle does not own {@code ns}; keep it open while
     * using {@link #sysctlGet}/{@link #sysctlSet}, {@link #subscribe} and veth peers or moves
     * into other namespaces.
     */
    public static NetlinkHandle open(NetNs ns) {
        return new NetlinkHandle(ns, ns.call(NetlinkSocket::open));
    }

    /** The namespace this handle works on. */
    public NetNs namespace() {
        return ns;
    }

    // ------------------------------------------------------------------ links

    /** Every link. Equivalent to {@code ip link show}. */
    public List<Link> linkList() {
        return dump(Messages.linkDump(), "links").stream().map(Messages::link).toList();
    }

    /** Equivalent to {@code ip link show dev NAME}; ENODEV when there is no such link. */
    public Link linkByName(String name) {
        return Messages.link(get(Messages.linkGet(name), () -> "dev " + name));
    }

    /** The link with this index; ENODEV when there is none. */
    public Link linkByIndex(int index) {
        return Messages.link(get(Messages.linkGet(index), () -> "index " + index));
    }

    /** The link called {@code name}, or empty. */
    public Optional<Link> findLink(String name) {
        try {
            return Optional.of(linkByName(name));
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENODEV) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Creates a veth pair and returns this end. Equivalent to
     * {@code ip link add NAME [mtu M] [address MAC] type veth peer name PEER [mtu M] [address MAC] [netns NS]}.
     * The kernel makes both ends in one step: on failure neither exists.
     */
    public Link linkAddVeth(Veth veth) {
        ack(Messages.vethAdd(veth), () -> "veth " + veth.name() + " peer " + veth.peerName()
                + veth.peerNamespace().map(n -> " in " + n).orElse(""));
        return linkByName(veth.name());
    }

    /** Equivalent to {@code ip link del NAME} (a veth takes its peer with it). */
    public void linkDel(String name) {
        ack(Messages.linkDel(name), () -> "dev " + name);
    }

    /** Equivalent to {@code ip link set NAME up}. */
    public void linkSetUp(String name) {
        ack(Messages.linkSet(name, Rt.IFF_UP, Rt.IFF_UP, List.of()), () -> "dev " + name + " up");
    }

    /** Equivalent to {@code ip link set NAME down}. */
    public void linkSetDown(String name) {
        ack(Messages.linkSet(name, 0, Rt.IFF_UP, List.of()), () -> "dev " + name + " down");
    }

    /** Equivalent to {@code ip link set NAME mtu MTU}. */
    public void linkSetMtu(String name, int mtu) {
        if (mtu <= 0) {
            throw new IllegalArgumentException("dev " + name + ": MTU must be positive, was " + mtu);
        }
        ack(Messages.linkSet(name, 0, 0, List.of(Attr.u32(Rt.IFLA_MTU, mtu))), () -> "dev " + name + " mtu " + mtu);
    }

    /** Equivalent to {@code ip link set NAME address MAC}. */
    public void linkSetHardwareAddr(String name, String mac) {
        ack(Messages.linkSet(name, 0, 0, List.of(new Attr(Rt.IFLA_ADDRESS, Messages.parseMac(mac)))),
                () -> "dev " + name + " address " + mac);
    }

    /** Equivalent to {@code ip link set NAME name NEWNAME}; the link must be down. */
    public void linkSetName(String name, String newName) {
        Messages.checkIfName(newName);
        int index = linkByName(name).index();
        ack(Messages.linkSet(index, 0, 0, List.of(Attr.string(Rt.IFLA_IFNAME, newName))),
                () -> "dev " + name + " name " + newName);
    }

    /** Equivalent to {@code ip link set NAME netns NS}: moves the link into {@code target}. */
    public void linkSetNetns(String name, NetNs target) {
        ack(Messages.linkSet(name, 0, 0, List.of(Attr.u32(Rt.IFLA_NET_NS_FD, target.fd()))),
                () -> "dev " + name + " netns " + target);
    }

    // ------------------------------------------------------------------ addresses

    /** Equivalent to {@code ip addr add ADDR/LEN dev DEV [scope S] [nodad]}. */
    public void addrAdd(Addr addr) {
        ack(Messages.addr(Rt.RTM_NEWADDR, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL, addr), () -> describe(addr, this::nameOf));
    }

    /** Equivalent to {@code ip addr replace ADDR/LEN dev DEV}. */
    public void addrReplace(Addr addr) {
        ack(Messages.addr(Rt.RTM_NEWADDR, Rt.NLM_F_CREATE | Rt.NLM_F_REPLACE, addr), () -> describe(addr, this::nameOf));
    }

    /** Equivalent to {@code ip addr del ADDR/LEN dev DEV}. */
    public void addrDel(Addr addr) {
        ack(Messages.addr(Rt.RTM_DELADDR, 0, addr), () -> describe(addr, this::nameOf));
    }

    /** Equivalent to {@code ip [-4|-6] addr show}. */
    public List<Addr> addrList(Family family) {
        return addrList(0, family);
    }

    /** Addresses on one link ({@code linkIndex} 0 for all). Equivalent to {@code ip addr show dev DEV}. */
    public List<Addr> addrList(int linkIndex, Family family) {
        return dump(Messages.addrDump(family, linkIndex), "addresses").stream().map(Messages::addr)
                .filter(a -> linkIndex == 0 || a.linkIndex() == linkIndex).toList();
    }

    // ------------------------------------------------------------------ routes

    /** Equivalent to {@code ip route add ROUTE}; EEXIST when it is there already. */
    public void routeAdd(Route route) {
        apply(Change.routeAdd(route));
    }

    /** Equivalent to {@code ip route replace ROUTE}: adds it or replaces the one with the same key. */
    public void routeReplace(Route route) {
        apply(Change.routeReplace(route));
    }

    /** Equivalent to {@code ip route del ROUTE}; ESRCH when no route matches. */
    public void routeDel(Route route) {
        apply(Change.routeDel(route));
    }

    /** The main table of both families. Equivalent to {@code ip route show; ip -6 route show}. */
    public List<Route> routeList() {
        return routeList(RouteFilter.main());
    }

    /** Equivalent to {@code ip route show table T proto P [dev D] [type T]}. */
    public List<Route> routeList(RouteFilter filter) {
        List<RtMessage> msgs;
        try {
            msgs = dump(Messages.routeDump(filter), "routes");
        } catch (NetlinkException e) {
            // With a table filter the IPv4 dump answers ENOENT when the table does not exist yet.
            if (e.errno() == Errno.ENOENT && filter.table() != Route.TABLE_UNSPEC) {
                return List.of();
            }
            throw e;
        }
        return msgs.stream().map(Messages::route).filter(filter::matches).toList();
    }

    // ------------------------------------------------------------------ neighbours

    /** Equivalent to {@code ip neigh add IP lladdr MAC dev DEV nud permanent}. */
    public void neighAdd(Neigh neigh) {
        apply(Change.neighAdd(neigh));
    }

    /** Equivalent to {@code ip neigh replace IP lladdr MAC dev DEV nud permanent}. */
    public void neighReplace(Neigh neigh) {
        apply(Change.neighReplace(neigh));
    }

    /** Equivalent to {@code ip neigh del IP dev DEV}. */
    public void neighDel(Neigh neigh) {
        apply(Change.neighDel(neigh));
    }

    /** Equivalent to {@code ip neigh show [dev DEV]} ({@code linkIndex} 0 for all links). */
    public List<Neigh> neighList(int linkIndex, Family family) {
        return dump(Messages.neighDump(family, linkIndex, false), "neighbours").stream().map(Messages::neigh)
                .filter(n -> linkIndex == 0 || n.linkIndex() == linkIndex).toList();
    }

    /** Proxy entries ({@link Neigh#proxy}). Equivalent to {@code ip neigh show proxy [dev DEV]}. */
    public List<Neigh> neighProxyList(int linkIndex, Family family) {
        return dump(Messages.neighDump(family, linkIndex, true), "proxy neighbours").stream().map(Messages::neigh)
                .filter(n -> n.isProxy() && (linkIndex == 0 || n.linkIndex() == linkIndex)).toList();
    }

    // ------------------------------------------------------------------ sysctls

    /** Reads a sysctl of this namespace, e.g. {@code net.ipv4.ip_forward}. Equivalent to {@code sysctl -n KEY}. */
    public String sysctlGet(String key) {
        Path p = sysctlPath(key);
        return ns.call(() -> {
            try {
                return Files.readString(p, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("sysctl " + key + " in " + ns + ": cannot read " + p, e);
            }
        });
    }

    /**
     * Writes a sysctl of this namespace from inside it. Equivalent to {@code sysctl -w KEY=VALUE}.
     * Keys use dots ({@code net.ipv4.conf.cali1234.proxy_arp}); an interface name containing a dot
     * can be given with slashes instead ({@code net/ipv4/conf/eth0.100/forwarding}).
     */
    public void sysctlSet(String key, String value) {
        Path p = sysctlPath(key);
        ns.run(() -> {
            try {
                Files.writeString(p, value, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("sysctl " + key + "=" + value + " in " + ns + ": cannot write " + p, e);
            }
        });
    }

    static Path sysctlPath(String key) {
        String rel = key.contains("/") ? key : key.replace('.', '/');
        if (!rel.matches("[A-Za-z0-9_./@-]+") || rel.startsWith("/") || List.of(rel.split("/")).contains("..")
                || List.of(rel.split("/")).contains(".")) {
            throw new IllegalArgumentException("not a sysctl key: '" + key + "'");
        }
        if (!rel.startsWith("net/")) {
            throw new IllegalArgumentException("sysctl " + key + ": only net.* sysctls belong to a network namespace");
        }
        return Path.of("/proc/sys").resolve(rel);
    }

    // ------------------------------------------------------------------ batches and events

    /**
     * Applies many route and neighbour changes in few round trips: the requests go out many to a
     * datagram, each with its own sequence number and NLM_F_ACK, and each gets its own outcome.
     * One change failing does not stop the others. Equivalent to {@code ip -batch} with
     * {@code -force}. Inputs are validated before anything is sent.
     */
    public List<Outcome> batch(List<Change> changes) {
        List<RtMessage> msgs = new ArrayList<>(changes.size());
        for (Change c : changes) {
            msgs.add(request(c));
        }
        List<Ack> acks = socket.execute(msgs);
        // Failures name their links; look each index up once however many changes failed on it.
        Map<Integer, String> names = new HashMap<>();
        IntFunction<String> nameOf = index -> names.computeIfAbsent(index, this::nameOf);
        List<Outcome> out = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            Ack a = acks.get(i);
            Change c = changes.get(i);
            out.add(new Outcome(c, a.ok() ? Optional.empty()
                    : Optional.of(new NetlinkException(Rt.typeName(msgs.get(i).type()), describe(c, nameOf), a.errno(), a.message()))));
        }
        return out;
    }

    private static RtMessage request(Change c) {
        return switch (c) {
            case Change.RouteChange(Change.Verb v, Route r) -> switch (v) {
                case ADD -> Messages.route(Rt.RTM_NEWROUTE, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL, r);
                case REPLACE -> Messages.route(Rt.RTM_NEWROUTE, Rt.NLM_F_CREATE | Rt.NLM_F_REPLACE, r);
                case DEL -> Messages.route(Rt.RTM_DELROUTE, 0, r);
            };
            case Change.NeighChange(Change.Verb v, Neigh n) -> switch (v) {
                case ADD -> Messages.neigh(Rt.RTM_NEWNEIGH, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL, n);
                case REPLACE -> Messages.neigh(Rt.RTM_NEWNEIGH, Rt.NLM_F_CREATE | Rt.NLM_F_REPLACE, n);
                case DEL -> Messages.neigh(Rt.RTM_DELNEIGH, 0, n);
            };
        };
    }

    private static String describe(Change c, IntFunction<String> nameOf) {
        return switch (c) {
            case Change.RouteChange rc -> describe(rc.route(), nameOf);
            case Change.NeighChange nc -> describe(nc.neigh(), nameOf);
        };
    }

    /**
     * Delivers link, address, route or neighbour changes of this namespace to {@code consumer}
     * on a thread the subscription owns. Equivalent to {@code ip monitor}.
     */
    public Subscription subscribe(Set<EventGroup> groups, Consumer<Event> consumer) {
        return new Subscription(ns, groups, consumer);
    }

    /**
     * How many dumps this handle had to read again because the kernel flagged them
     * NLM_F_DUMP_INTR (the table changed mid-dump). For metrics and tests.
     */
    public long dumpRestarts() {
        return socket.dumpRestarts();
    }

    /** Closes the socket. The namespace stays open; it belongs to the caller. */
    @Override
    public void close() {
        socket.close();
    }

    // ------------------------------------------------------------------ plumbing

    /** One change, on its own: the same request a batch would send. */
    private void apply(Change c) {
        ack(request(c), () -> describe(c, this::nameOf));
    }

    private void ack(RtMessage m, Supplier<String> what) {
        Ack a = socket.execute(List.of(m)).get(0);
        if (!a.ok()) {
            throw new NetlinkException(Rt.typeName(m.type()), what.get(), a.errno(), a.message());
        }
    }

    private RtMessage get(RtMessage m, Supplier<String> what) {
        Frame f = socket.get(m);
        if (f instanceof Ack a) {
            throw new NetlinkException(Rt.typeName(m.type()), what.get(), a.errno(), a.message());
        }
        return (RtMessage) f;
    }

    private List<RtMessage> dump(RtMessage m, String what) {
        try {
            return socket.dump(m);
        } catch (NetlinkSocket.DumpFailed e) {
            throw new NetlinkException(Rt.typeName(m.type()), what + " (dump)", e.errno, e.message);
        }
    }

    /** {@code 10.244.1.0/26 via 10.99.0.12 dev cali12345678901 table 100}, as iproute2 prints it. */
    private static String describe(Route r, IntFunction<String> nameOf) {
        StringBuilder s = new StringBuilder();
        if (r.type() != RouteType.UNICAST) {
            s.append(r.type().label()).append(' ');
        }
        s.append(r.dst());
        r.gateway().ifPresent(g -> s.append(" via ").append(IpPrefix.text(g)));
        if (r.linkIndex() != 0) {
            s.append(" dev ").append(nameOf.apply(r.linkIndex()));
        }
        for (NextHop h : r.multipath()) {
            s.append(" nexthop");
            h.gateway().ifPresent(g -> s.append(" via ").append(IpPrefix.text(g)));
            if (h.linkIndex() != 0) {
                s.append(" dev ").append(nameOf.apply(h.linkIndex()));
            }
        }
        if (r.table() != Route.TABLE_MAIN) {
            s.append(" table ").append(r.table());
        }
        if (r.protocol().value() != 0) {
            s.append(" proto ").append(r.protocol());
        }
        return s.toString();
    }

    private static String describe(Addr a, IntFunction<String> nameOf) {
        return a.prefix() + " dev " + nameOf.apply(a.linkIndex());
    }

    private static String describe(Neigh n, IntFunction<String> nameOf) {
        return IpPrefix.text(n.ip()) + n.hardwareAddr().map(m -> " lladdr " + m).orElse("") + " dev " + nameOf.apply(n.linkIndex());
    }

    /** Only on the error path: the name of a link for a message, or "#INDEX" when there is none. */
    private String nameOf(int index) {
        try {
            return linkByIndex(index).name();
        } catch (RuntimeException e) {
            return "#" + index;
        }
    }
}
