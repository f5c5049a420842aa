package io.tabby.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabby.netlink.wire.Attr;
import io.tabby.netlink.wire.Frames;
import io.tabby.netlink.wire.IfInfoMsg;
import io.tabby.netlink.wire.Rt;
import io.tabby.netlink.wire.RtMessage;
import io.tabby.netlink.wire.RtMsg;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Values to requests and back, through real bytes; no sockets, no root. */
class MessagesTest {
    private static final RouteProtocol TABBY = new RouteProtocol(250);

    /** Encodes, decodes and retypes the message as the kernel's answer (RTM_NEW*). */
    private static RtMessage throughBytes(RtMessage m) {
        ByteBuffer b = ByteBuffer.allocate(8192).order(ByteOrder.nativeOrder());
        m.encode(b);
        b.flip();
        return (RtMessage) Frames.decode(b).get(0);
    }

    @Test
    void routesRoundTripWithEveryField() {
        List<Route> routes = List.of(
                Route.to("10.244.1.2/32").dev(7).protocol(TABBY).scope(Scope.LINK),
                Route.to("10.244.2.0/26").via("10.99.0.12").dev(3).protocol(TABBY).metric(20).onlink().scope(Scope.UNIVERSE),
                Route.to("10.9.0.0/16").type(RouteType.BLACKHOLE).table(1000).protocol(TABBY).scope(Scope.UNIVERSE),
                Route.to("10.8.0.0/16").type(RouteType.UNREACHABLE).table(100).protocol(RouteProtocol.STATIC).scope(Scope.UNIVERSE),
                Route.to("default").via("10.99.0.1").dev(2).src("10.99.0.11").protocol(RouteProtocol.BOOT).scope(Scope.UNIVERSE),
                Route.to("fd00:244::/64").via("fd00::1").dev(4).metric(1024).protocol(TABBY).scope(Scope.UNIVERSE),
                Route.to("10.50.0.0/24").protocol(TABBY).scope(Scope.UNIVERSE).nextHops(List.of(
                        NextHop.via("10.99.0.12", 2), NextHop.via("10.99.0.13", 3).weight(3).onlink())));
        for (Route r : routes) {
            RtMessage m = throughBytes(Messages.route(Rt.RTM_NEWROUTE, Rt.NLM_F_CREATE, r));
            assertThat(Messages.route(m)).isEqualTo(r);
        }
    }

    @Test
    void routeDefaultsFollowIproute2() {
        RtMsg add = (RtMsg) Messages.route(Rt.RTM_NEWROUTE, 0, Route.to("10.1.0.0/24").dev(3)).body();
        assertThat(add.scope()).isEqualTo(Scope.LINK.value());
        assertThat(add.protocol()).isEqualTo(RouteProtocol.BOOT.value());
        RtMsg viaGw = (RtMsg) Messages.route(Rt.RTM_NEWROUTE, 0, Route.to("10.1.0.0/24").via("10.0.0.1")).body();
        assertThat(viaGw.scope()).isEqualTo(Scope.UNIVERSE.value());
        RtMsg del = (RtMsg) Messages.route(Rt.RTM_DELROUTE, 0, Route.to("10.1.0.0/24").dev(3)).body();
        assertThat(del.scope()).isEqualTo(Scope.NOWHERE.value());
        assertThat(del.protocol()).isZero();
        RtMessage big = Messages.route(Rt.RTM_NEWROUTE, 0, Route.to("10.1.0.0/24").dev(3).table(1000));
        assertThat(((RtMsg) big.body()).table()).isEqualTo(252);
        assertThat(Attr.find(big.attrs(), Rt.RTA_TABLE).orElseThrow().asU32()).isEqualTo(1000);
        assertThat(Route.to("10.1.2.3/24").dst()).isEqualTo(IpPrefix.parse("10.1.2.0/24"));
    }

    @Test
    void addressesRoundTrip() {
        List<Addr> addrs = List.of(
                Addr.of(3, "10.1.0.1/24"),
                Addr.of(3, "169.254.1.1/32").scope(Scope.LINK).label("eth0"),
                Addr.of(4, "fd00::1/64").withFlags(Addr.NODAD | Addr.NOPREFIXROUTE),
                Addr.of(5, "10.2.0.1/32").peer(IpPrefix.parseAddress("10.2.0.2")),
                Addr.of(6, "10.3.0.1/24").broadcast(IpPrefix.parseAddress("10.3.0.255")));
        for (Addr a : addrs) {
            assertThat(Messages.addr(throughBytes(Messages.addr(Rt.RTM_NEWADDR, 0, a)))).isEqualTo(a);
        }
    }

    @Test
    void neighboursRoundTrip() {
        Neigh n = Neigh.permanent(3, "169.254.1.1", "ee:ee:ee:ee:ee:ee");
        assertThat(Messages.neigh(throughBytes(Messages.neigh(Rt.RTM_NEWNEIGH, 0, n)))).isEqualTo(n);
        Neigh v6 = new Neigh(4, IpPrefix.parseAddress("fd00::5"), Optional.of("02:00:00:00:00:05"), Neigh.NUD_PERMANENT, Neigh.NTF_ROUTER);
        assertThat(Messages.neigh(throughBytes(Messages.neigh(Rt.RTM_NEWNEIGH, 0, v6)))).isEqualTo(v6);
        RtMessage del = Messages.neigh(Rt.RTM_DELNEIGH, 0, n);
        assertThat(Attr.find(del.attrs(), Rt.NDA_LLADDR)).isEmpty();
    }

    @Test
    void linkMessagesDecodeToLinks() {
        RtMessage m = new RtMessage(Rt.RTM_NEWLINK, 0, 1, 0, new IfInfoMsg(0, 1, 9, Rt.IFF_UP | Rt.IFF_LOWER_UP, 0), List.of(
                Attr.string(Rt.IFLA_IFNAME, "cali0"), Attr.u32(Rt.IFLA_MTU, 1450),
                new Attr(Rt.IFLA_ADDRESS, new byte[] {(byte) 0xee, (byte) 0xee, (byte) 0xee, (byte) 0xee, (byte) 0xee, (byte) 0xee}),
                Attr.u8(Rt.IFLA_OPERSTATE, 6), Attr.u32(Rt.IFLA_LINK, 2), Attr.u32(Rt.IFLA_LINK_NETNSID, 0),
                Attr.u32(Rt.IFLA_TXQLEN, 1000),
                Attr.nested(Rt.IFLA_LINKINFO, List.of(Attr.string(Rt.IFLA_INFO_KIND, "veth")))));
        Link l = Messages.link(throughBytes(m));
        assertThat(l).isEqualTo(new Link(9, "cali0", "veth", Rt.IFF_UP | Rt.IFF_LOWER_UP, 1450, "ee:ee:ee:ee:ee:ee",
                OperState.UP, 2, OptionalInt.of(0), 0, 1000));
        assertThat(l.flagNames()).containsExactly("UP", "LOWER_UP");
    }

    @Test
    void vethRequestNestsThePeerWithItsOwnIfinfomsg() {
        RtMessage m = throughBytes(Messages.vethAdd(Veth.of("cali0", "eth0").mtu(1450).peerHardwareAddr("02:00:00:00:00:01")));
        assertThat(m.flags() & (Rt.NLM_F_CREATE | Rt.NLM_F_EXCL)).isEqualTo(Rt.NLM_F_CREATE | Rt.NLM_F_EXCL);
        Attr info = Attr.find(m.attrs(), Rt.IFLA_LINKINFO).orElseThrow();
        assertThat(Attr.find(info.asNested(), Rt.IFLA_INFO_KIND).orElseThrow().asString()).isEqualTo("veth");
        Attr peer = Attr.find(Attr.find(info.asNested(), Rt.IFLA_INFO_DATA).orElseThrow().asNested(), Rt.VETH_INFO_PEER).orElseThrow();
        ByteBuffer p = ByteBuffer.wrap(peer.value()).order(ByteOrder.nativeOrder());
        p.position(IfInfoMsg.SIZE);
        List<Attr> peerAttrs = Attr.decodeAll(p);
        assertThat(Attr.find(peerAttrs, Rt.IFLA_IFNAME).orElseThrow().asString()).isEqualTo("eth0");
        assertThat(Attr.find(peerAttrs, Rt.IFLA_MTU).orElseThrow().asU32()).isEqualTo(1450);
        assertThat(Attr.find(peerAttrs, Rt.IFLA_ADDRESS).orElseThrow().asHex()).isEqualTo("02:00:00:00:00:01");
        assertThat(Attr.find(peerAttrs, Rt.IFLA_NET_NS_FD)).isEmpty();
    }

    @Test
    void invalidInputIsRejectedWithTheReason() {
        assertThatThrownBy(() -> Messages.checkIfName("cali123456789012")).hasMessageContaining("16 bytes");
        assertThatThrownBy(() -> Messages.checkIfName("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Messages.checkIfName("a:b")).hasMessageContaining("not valid");
        assertThatThrownBy(() -> Messages.checkIfName("..")).hasMessageContaining("not valid");
        assertThat(Messages.parseMac("EE:ee:01")).containsExactly((byte) 0xee, (byte) 0xee, (byte) 1);
        assertThatThrownBy(() -> Messages.parseMac("eeee.eeee.eeee")).hasMessageContaining("not a link-layer address");
        assertThatThrownBy(() -> Messages.route(Rt.RTM_NEWROUTE, 0, Route.to("10.0.0.0/8"))).hasMessageContaining("needs a gateway");
        assertThatThrownBy(() -> IpPrefix.parse("example.com/24")).hasMessageContaining("not an IP address literal");
        assertThatThrownBy(() -> IpPrefix.parse("fd00::/129")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> NextHop.dev(1).weight(0)).hasMessageContaining("weight");
        assertThatThrownBy(() -> NetlinkHandle.sysctlPath("net/ipv4/../../kernel/hostname")).hasMessageContaining("not a sysctl key");
        assertThatThrownBy(() -> NetlinkHandle.sysctlPath("kernel.hostname")).hasMessageContaining("only net.*");
        assertThat(NetlinkHandle.sysctlPath("net.ipv4.conf.cali1.proxy_arp").toString())
                .isEqualTo("/proc/sys/net/ipv4/conf/cali1/proxy_arp");
        assertThat(NetlinkHandle.sysctlPath("net/ipv4/conf/eth0.100/forwarding").toString())
                .isEqualTo("/proc/sys/net/ipv4/conf/eth0.100/forwarding");
    }

    @Test
    void addressesPrintLikeIproute2() {
        assertThat(IpPrefix.parse("fd00:244:0:0:0:0:0:0/64").toString()).isEqualTo("fd00:244::/64");
        assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
        assertThat(IpPrefix.parse("::1").toString()).isEqualTo("::1/128");
        assertThat(IpPrefix.parse("fd00:0:1:0:0:1:0:0/128").toString()).isEqualTo("fd00:0:1::1:0:0/128");
        assertThat(IpPrefix.parse("fd00:1:2:3:4:5:0:7").toString()).isEqualTo("fd00:1:2:3:4:5:0:7/128");
        assertThat(IpPrefix.parse("FE80::AB").toString()).isEqualTo("fe80::ab/128");
        assertThat(IpPrefix.parse("10.244.1.0/26").toString()).isEqualTo("10.244.1.0/26");
    }

    @Test
    void errorsReadLikeIproute2() {
        NetlinkException e = new NetlinkException("RTM_NEWROUTE", "10.244.1.0/26 dev cali12345678901", 17, Optional.empty());
        assertThat(e.getMessage()).isEqualTo("RTM_NEWROUTE 10.244.1.0/26 dev cali12345678901: EEXIST (File exists)");
        NetlinkException withKernel = new NetlinkException("RTM_NEWROUTE", "x", 22, Optional.of("Invalid prefix for given prefix length"));
        assertThat(withKernel.getMessage()).isEqualTo("RTM_NEWROUTE x: EINVAL (Invalid argument); kernel: Invalid prefix for given prefix length");
        assertThat(new NetlinkException("RTM_X", "y", 250, Optional.empty()).getMessage()).contains("errno 250");
    }
}
