package io.tabby.netlink;

import io.tabby.netlink.wire.Attr;
import io.tabby.netlink.wire.IfAddrMsg;
import io.tabby.netlink.wire.IfInfoMsg;
import io.tabby.netlink.wire.NdMsg;
import io.tabby.netlink.wire.Rt;
import io.tabby.netlink.wire.RtMessage;
import io.tabby.netlink.wire.RtMsg;
import io.tabby.netlink.wire.RtNextHop;
import io.tabby.netlink.wire.WireException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Values to rtnetlink requests and rtnetlink messages back to values: the pure half of
 * {@link NetlinkHandle}, laid out the way iproute2 builds the same requests ({@code ip/iplink.c},
 * {@code ip/ipaddress.c}, {@code ip/iproute.c}, {@code ip/ipneigh.c}). Inputs are validated here,
 * before anything is sent.
 */
final class Messages {
    private Messages() {}

    /** IFNAMSIZ is 16 including the NUL. */
    static final int MAX_IFNAME = 15;

    // ---- links

    static RtMessage linkDump() {
        return RtMessage.request(Rt.RTM_GETLINK, Rt.NLM_F_DUMP, new IfInfoMsg(Rt.AF_UNSPEC, 0, 0, 0, 0), List.of());
    }

    static RtMessage linkGet(String name) {
        checkIfName(name);
        return RtMessage.request(Rt.RTM_GETLINK, 0, new IfInfoMsg(Rt.AF_UNSPEC, 0, 0, 0, 0),
                List.of(Attr.string(Rt.IFLA_IFNAME, name)));
    }

    static RtMessage linkGet(int index) {
        checkIndex(index);
        return RtMessage.request(Rt.RTM_GETLINK, 0, new IfInfoMsg(Rt.AF_UNSPEC, 0, index, 0, 0), List.of());
    }

    static RtMessage vethAdd(Veth v) {
        checkIfName(v.name());
        checkIfName(v.peerName());
        if (v.mtu() < 0) {
            throw new IllegalArgumentException("veth " + v.name() + ": MTU must be positive, was " + v.mtu());
        }
        List<Attr> peer = new ArrayList<>();
        peer.add(Attr.string(Rt.IFLA_IFNAME, v.peerName()));
        if (v.mtu() > 0) {
            peer.add(Attr.u32(Rt.IFLA_MTU, v.mtu()));
        }
        v.peerHardwareAddr().ifPresent(m -> peer.add(new Attr(Rt.IFLA_ADDRESS, parseMac(m))));
        v.peerNamespace().ifPresent(ns -> peer.add(Attr.u32(Rt.IFLA_NET_NS_FD, ns.fd())));
        IfInfoMsg peerHeader = new IfInfoMsg(Rt.AF_UNSPEC, 0, 0, 0, 0);
        ByteBuffer peerData = Attr.order(ByteBuffer.allocate(IfInfoMsg.SIZE + Attr.sizeOf(peer)));
        peerHeader.encode(peerData);
        Attr.encodeAll(peer, peerData);

        List<Attr> attrs = new ArrayList<>();
        attrs.add(Attr.string(Rt.IFLA_IFNAME, v.name()));
        if (v.mtu() > 0) {
            attrs.add(Attr.u32(Rt.IFLA_MTU, v.mtu()));
        }
        v.hardwareAddr().ifPresent(m -> attrs.add(new Attr(Rt.IFLA_ADDRESS, parseMac(m))));
        attrs.add(Attr.nested(Rt.IFLA_LINKINFO, List.of(
                Attr.string(Rt.IFLA_INFO_KIND, "veth"),
                Attr.nested(Rt.IFLA_INFO_DATA, List.of(new Attr(Rt.VETH_INFO_PEER, peerData.array()))))));
        return RtMessage.request(Rt.RTM_NEWLINK, Rt.NLM_F_CREATE | Rt.NLM_F_EXCL,
                new IfInfoMsg(Rt.AF_UNSPEC, 0, 0, 0, 0), attrs);
    }

    /** RTM_SETLINK on the link called {@code name}: the kernel finds it by IFLA_IFNAME. */
    static RtMessage linkSet(String name, int flags, int change, List<Attr> attrs) {
        checkIfName(name);
        List<Attr> all = new ArrayList<>();
        all.add(Attr.string(Rt.IFLA_IFNAME, name));
        all.addAll(attrs);
        return RtMessage.request(Rt.RTM_SETLINK, 0, new IfInfoMsg(Rt.AF_UNSPEC, 0, 0, flags, change), all);
    }

    /** RTM_SETLINK on the link with {@code index}; needed for a rename, where IFLA_IFNAME is the new name. */
    static RtMessage linkSet(int index, int flags, int change, List<Attr> attrs) {
        checkIndex(index);
        return RtMessage.request(Rt.RTM_SETLINK, 0, new IfInfoMsg(Rt.AF_UNSPEC, 0, index, flags, change), attrs);
    }

    static RtMessage linkDel(String name) {
        checkIfName(name);
        return RtMessage.request(Rt.RTM_DELLINK, 0, new IfInfoMsg(Rt.AF_UNSPEC, 0, 0, 0, 0),
                List.of(Attr.string(Rt.IFLA_IFNAME, name)));
    }

    static Link link(RtMessage m) {
        IfInfoMsg h = (IfInfoMsg) m.body();
        List<Attr> a = m.attrs();
        String kind = Attr.find(a, Rt.IFLA_LINKINFO)
                .flatMap(li -> Attr.find(li.asNested(), Rt.IFLA_INFO_KIND)).map(Attr::asString).orElse("");
        return new Link(h.index(),
                Attr.find(a, Rt.IFLA_IFNAME).map(Attr::asString).orElse(""),
                kind,
                h.flags(),
                Attr.find(a, Rt.IFLA_MTU).map(Attr::asU32).orElse(0),
                Attr.find(a, Rt.IFLA_ADDRESS).map(Attr::asHex).orElse(""),
                OperState.of(Attr.find(a, Rt.IFLA_OPERSTATE).map(Attr::asU8).orElse(0)),
                Attr.find(a, Rt.IFLA_LINK).map(Attr::asU32).orElse(0),
                Attr.find(a, Rt.IFLA_LINK_NETNSID).map(x -> OptionalInt.of(x.asU32())).orElse(OptionalInt.empty()),
                Attr.find(a, Rt.IFLA_MASTER).map(Attr::asU32).orElse(0),
                Attr.find(a, Rt.IFLA_TXQLEN).map(Attr::asU32).orElse(0));
    }

    // ---- addresses

    static RtMessage addrDump(Family family, int linkIndex) {
        return RtMessage.request(Rt.RTM_GETADDR, Rt.NLM_F_DUMP, new IfAddrMsg(family.value(), 0, 0, 0, linkIndex), List.of());
    }

    /** As {@code ip addr add}: IFA_LOCAL and IFA_ADDRESS (the peer on point-to-point links). */
    static RtMessage addr(int type, int flags, Addr addr) {
        checkIndex(addr.linkIndex());
        IpPrefix p = addr.prefix();
        List<Attr> attrs = new ArrayList<>();
        attrs.add(Attr.address(Rt.IFA_LOCAL, p.address()));
        attrs.add(Attr.address(Rt.IFA_ADDRESS, addr.peer().orElse(p.address())));
        addr.peer().ifPresent(peer -> sameFamily(p.address(), peer, "peer of " + p));
        addr.broadcast().ifPresent(b -> {
            sameFamily(p.address(), b, "broadcast of " + p);
            attrs.add(Attr.address(Rt.IFA_BROADCAST, b));
        });
        if (!addr.label().isEmpty()) {
            checkIfName(addr.label());
            attrs.add(Attr.string(Rt.IFA_LABEL, addr.label()));
        }
        if (addr.flags() > 0xff) {
            attrs.add(Attr.u32(Rt.IFA_FLAGS, addr.flags()));
        }
        return RtMessage.request(type, flags,
                new IfAddrMsg(p.family().value(), p.length(), addr.flags() & 0xff, addr.scope().value(), addr.linkIndex()), attrs);
    }

    static Addr addr(RtMessage m) {
        IfAddrMsg h = (IfAddrMsg) m.body();
        List<Attr> a = m.attrs();
        Optional<InetAddress> local = Attr.find(a, Rt.IFA_LOCAL).map(Attr::asAddress);
        Optional<InetAddress> address = Attr.find(a, Rt.IFA_ADDRESS).map(Attr::asAddress);
        InetAddress own = local.or(() -> address).orElseThrow(
                () -> new WireException("RTM_NEWADDR without IFA_LOCAL or IFA_ADDRESS"));
        Optional<InetAddress> peer = local.isPresent() && address.isPresent() && !address.get().equals(own)
                ? address : Optional.empty();
        int flags = Attr.find(a, Rt.IFA_FLAGS).map(Attr::asU32).orElse(h.flags());
        return new Addr(h.index(), new IpPrefix(own, h.prefixLength()), new Scope(h.scope()), flags,
                Attr.find(a, Rt.IFA_LABEL).map(Attr::asString).orElse(""), peer,
                Attr.find(a, Rt.IFA_BROADCAST).map(Attr::asAddress));
    }

    // ---- routes

    /** A dump request whose header carries the table and protocol so the kernel filters (strict mode). */
    static RtMessage routeDump(RouteFilter f) {
        List<Attr> attrs = new ArrayList<>();
        if (f.table() > 255) {
            attrs.add(Attr.u32(Rt.RTA_TABLE, f.table()));
        }
        if (f.linkIndex() > 0) {
            attrs.add(Attr.u32(Rt.RTA_OIF, f.linkIndex()));
        }
        int table = f.table() > 255 ? 252 : f.table();
        return RtMessage.request(Rt.RTM_GETROUTE, Rt.NLM_F_DUMP,
                new RtMsg(f.family().value(), 0, 0, 0, table, f.protocol().value(), 0,
                        f.type().map(RouteType::value).orElse(0), 0), attrs);
    }

    /** RTM_NEWROUTE or RTM_DELROUTE for {@code r}, filling defaults the way {@code ip route} does. */
    static RtMessage route(int type, int flags, Route r) {
        boolean delete = type == Rt.RTM_DELROUTE;
        IpPrefix dst = r.dst();
        List<Attr> attrs = new ArrayList<>();
        if (!dst.isDefault()) {
            attrs.add(Attr.address(Rt.RTA_DST, dst.address()));
        }
        r.prefSrc().ifPresent(s -> {
            sameFamily(dst.address(), s, "src of route " + dst);
            attrs.add(Attr.address(Rt.RTA_PREFSRC, s));
        });
        r.gateway().ifPresent(g -> {
            sameFamily(dst.address(), g, "gateway of route " + dst);
            attrs.add(Attr.address(Rt.RTA_GATEWAY, g));
        });
        if (r.linkIndex() != 0) {
            checkIndex(r.linkIndex());
            attrs.add(Attr.u32(Rt.RTA_OIF, r.linkIndex()));
        }
        if (r.metric() > 0) {
            attrs.add(Attr.u32(Rt.RTA_PRIORITY, r.metric()));
        }
        attrs.add(Attr.u32(Rt.RTA_TABLE, r.table()));
        if (!r.multipath().isEmpty()) {
            List<RtNextHop> hops = new ArrayList<>();
            for (NextHop h : r.multipath()) {
                List<Attr> ha = new ArrayList<>();
                h.gateway().ifPresent(g -> {
                    sameFamily(dst.address(), g, "next hop of route " + dst);
                    ha.add(Attr.address(Rt.RTA_GATEWAY, g));
                });
                if (h.linkIndex() != 0) {
                    checkIndex(h.linkIndex());
                }
                hops.add(new RtNextHop(h.flags(), h.weight() - 1, h.linkIndex(), ha));
            }
            attrs.add(RtNextHop.multipath(hops));
        }
        boolean direct = r.gateway().isEmpty() && r.multipath().isEmpty();
        if (!delete && direct && r.type() == RouteType.UNICAST && r.linkIndex() == 0) {
            throw new IllegalArgumentException("route " + dst + " needs a gateway, an output link or next hops");
        }
        Scope scope = r.scope().orElseGet(() -> defaultScope(r, delete, direct));
        int protocol = r.protocol().value() == 0 && !delete ? RouteProtocol.BOOT.value() : r.protocol().value();
        int table = r.table() > 255 ? 252 : r.table();
        return RtMessage.request(type, flags,
                new RtMsg(dst.family().value(), dst.length(), 0, 0, table, protocol, scope.value(), r.type().value(), r.flags()),
                attrs);
    }

    /** iproute2's {@code iproute_modify}: host for local/nat, link for broadcast-ish and direct unicast. */
    private static Scope defaultScope(Route r, boolean delete, boolean direct) {
        if (delete) {
            return Scope.NOWHERE;
        }
        return switch (r.type()) {
            case LOCAL, NAT -> Scope.HOST;
            case BROADCAST, MULTICAST, ANYCAST -> Scope.LINK;
            case UNICAST, UNSPEC -> direct ? Scope.LINK : Scope.UNIVERSE;
            default -> Scope.UNIVERSE;
        };
    }

    static Route route(RtMessage m) {
        RtMsg h = (RtMsg) m.body();
        List<Attr> a = m.attrs();
        IpPrefix dst = Attr.find(a, Rt.RTA_DST)
                .map(d -> new IpPrefix(d.asAddress(), h.dstLength()))
                .orElseGet(() -> IpPrefix.parse(h.family() == Rt.AF_INET6 ? "::/0" : "0.0.0.0/0"));
        List<NextHop> hops = new ArrayList<>();
        Attr.find(a, Rt.RTA_MULTIPATH).ifPresent(mp -> {
            for (RtNextHop n : RtNextHop.decodeMultipath(mp)) {
                hops.add(new NextHop(Attr.find(n.attrs(), Rt.RTA_GATEWAY).map(Attr::asAddress), n.index(),
                        n.hops() + 1, n.flags()));
            }
        });
        return new Route(dst,
                Attr.find(a, Rt.RTA_GATEWAY).map(Attr::asAddress),
                Attr.find(a, Rt.RTA_OIF).map(Attr::asU32).orElse(0),
                Optional.of(new Scope(h.scope())),
                Attr.find(a, Rt.RTA_TABLE).map(Attr::asU32).orElse(h.table()),
                new RouteProtocol(h.protocol()),
                RouteType.of(h.type()),
                Attr.find(a, Rt.RTA_PRIORITY).map(Attr::asU32).orElse(0),
                h.flags(),
                Attr.find(a, Rt.RTA_PREFSRC).map(Attr::asAddress),
                hops);
    }

    // ---- neighbours

    /** With {@code proxies} the kernel dumps the proxy table (NTF_PROXY) instead of the neighbour cache. */
    static RtMessage neighDump(Family family, int linkIndex, boolean proxies) {
        List<Attr> attrs = linkIndex > 0 ? List.of(Attr.u32(Rt.NDA_IFINDEX, linkIndex)) : List.of();
        return RtMessage.request(Rt.RTM_GETNEIGH, Rt.NLM_F_DUMP,
                new NdMsg(family.value(), 0, 0, proxies ? Neigh.NTF_PROXY : 0, 0), attrs);
    }

    static RtMessage neigh(int type, int flags, Neigh n) {
        checkIndex(n.linkIndex());
        List<Attr> attrs = new ArrayList<>();
        attrs.add(Attr.address(Rt.NDA_DST, n.ip()));
        if (type != Rt.RTM_DELNEIGH) {
            n.hardwareAddr().ifPresent(mac -> attrs.add(new Attr(Rt.NDA_LLADDR, parseMac(mac))));
        }
        return RtMessage.request(type, flags, new NdMsg(n.family().value(), n.linkIndex(), n.state(), n.flags(), 0), attrs);
    }

    static Neigh neigh(RtMessage m) {
        NdMsg h = (NdMsg) m.body();
        InetAddress ip = Attr.find(m.attrs(), Rt.NDA_DST).map(Attr::asAddress).orElseThrow(
                () -> new WireException("RTM_NEWNEIGH without NDA_DST"));
        return new Neigh(h.index(), ip, Attr.find(m.attrs(), Rt.NDA_LLADDR).map(Attr::asHex), h.state(), h.flags());
    }

    // ---- validation

    /** The kernel's {@code dev_valid_name}: 1..15 bytes, not "." or "..", no '/', ':' or whitespace. */
    static void checkIfName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name is empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_IFNAME) {
            throw new IllegalArgumentException("interface name '" + name + "' is " + bytes
                    + " bytes long; the kernel allows at most " + MAX_IFNAME);
        }
        if (name.equals(".") || name.equals("..") || name.chars().anyMatch(c -> c == '/' || c == ':' || c == 0
                || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("interface name '" + name + "' is not valid: no '/', ':', spaces, '.' or '..'");
        }
    }

    static void checkIndex(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("interface index must be positive, was " + index);
        }
    }

    /** {@code aa:bb:cc:dd:ee:ff} to six bytes; other lengths of colon-separated hex are accepted too. */
    static byte[] parseMac(String mac) {
        if (!mac.matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){1,31}")) {
            throw new IllegalArgumentException("not a link-layer address: '" + mac + "' (want aa:bb:cc:dd:ee:ff)");
        }
        return HexFormat.ofDelimiter(":").parseHex(mac.toLowerCase(Locale.ROOT));
    }

    private static void sameFamily(InetAddress a, InetAddress b, String what) {
        if (a.getAddress().length != b.getAddress().length) {
            throw new IllegalArgumentException(what + ": " + IpPrefix.text(b) + " is not in the same family as " + IpPrefix.text(a));
        }
    }
}
