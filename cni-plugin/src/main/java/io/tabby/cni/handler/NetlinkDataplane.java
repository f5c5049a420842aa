package io.tabby.cni.handler;

import io.tabby.cni.types.CniError;
import io.tabby.cni.types.IpNet;
import io.tabby.cni.types.Result;
import io.tabby.netlink.Addr;
import io.tabby.netlink.Family;
import io.tabby.netlink.IpPrefix;
import io.tabby.netlink.Link;
import io.tabby.netlink.NetlinkException;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.Route;
import io.tabby.netlink.RouteFilter;
import io.tabby.netlink.RouteProtocol;
import io.tabby.netlink.RouteType;
import io.tabby.netlink.Scope;
import io.tabby.netlink.Veth;
import io.tabby.netlink.ns.NetNs;
import io.tabby.netlink.sys.Errno;
import io.tabby.netlink.sys.ErrnoException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calico's pod wiring (calico-behaviours.md 1.2) through our netlink module. The host side lives
 * in {@code host}, the namespace this dataplane was given (the node's; in tests a lab namespace,
 * never the test runner's), and each pod's side in its {@code CNI_NETNS}:
 * <ul>
 *   <li>host: {@code cali…} veth end, MAC {@code ee:ee:ee:ee:ee:ee}, no address, proxy ARP with
 *       proxy_delay 0 (proxy NDP for IPv6), forwarding on, accept_ra off, and per pod address a
 *       link-scoped /32 (/128) route with {@link #PROTOCOL};</li>
 *   <li>pod: {@code CNI_IFNAME} with the /32 (/128) addresses, {@code 169.254.1.1 dev eth0 scope link}
 *       and {@code default via 169.254.1.1}; for IPv6 {@code default via fe80::ecee:eeff:feee:eeee},
 *       the host end's link-local address, which follows from its fixed MAC.</li>
 *   <li>node: per IPAM block the node holds, {@code blackhole <block> proto 98}.</li>
 * </ul>
 * The veth is created in one kernel transaction with its peer placed straight into the pod, so
 * no half pair ever sits in the node's namespace under a pod's name.
 */
public final class NetlinkDataplane implements Dataplane {
    private static final Logger log = LoggerFactory.getLogger(NetlinkDataplane.class);
    /** rtm_protocol of the host routes to pods: marks them ours (Felix uses 80 and 3; BIRD 12). */
    public static final RouteProtocol PROTOCOL = new RouteProtocol(98);
    public static final String HOST_MAC = "ee:ee:ee:ee:ee:ee";
    public static final InetAddress GATEWAY_V4 = IpNet.parseAddress("169.254.1.1");
    /** EUI-64 link-local address of {@link #HOST_MAC}. */
    public static final InetAddress GATEWAY_V6 = IpNet.parseAddress("fe80::ecee:eeff:feee:eeee");
    static final int DEFAULT_MTU = 1500;

    static final long MTU_TTL_NANOS = 10_000_000_000L;

    private final NetNs host;
    private final NetlinkHandle nl;
    /** {mtu, System.nanoTime() when read}; replaced whole, so readers never see half an update. */
    private volatile long[] mtuCache;

    /** {@code host} stays owned by the caller; this dataplane only opens a handle on it. */
    public NetlinkDataplane(NetNs host) {
        this.host = host;
        this.nl = NetlinkHandle.open(host);
    }

    @Override
    public Attachment add(Spec s) {
        try (NetNs pod = openPod(s.netns()); NetlinkHandle pnl = NetlinkHandle.open(pod)) {
            Optional<Link> oldHost = nl.findLink(s.hostIfname());
            Optional<Link> oldPod = pnl.findLink(s.ifname());
            if (oldHost.isPresent() && oldPod.isPresent() && problems(s, pnl).isEmpty()) {
                return attachment(s, oldHost.get(), oldPod.get());
            }
            // Stale pieces from an earlier sandbox of this pod, or an ADD cut short: remove, rebuild.
            if (oldPod.isPresent()) {
                pnl.linkDel(s.ifname());
            }
            if (oldHost.isPresent() && nl.findLink(s.hostIfname()).isPresent()) {
                nl.linkDel(s.hostIfname());
            }
            int mtu = s.mtu() > 0 ? s.mtu() : detectMtu();
            boolean v6 = s.addresses().stream().anyMatch(a -> !a.isV4());
            Link hostLink = nl.linkAddVeth(Veth.of(s.hostIfname(), s.ifname()).mtu(mtu).hardwareAddr(HOST_MAC).peerIn(pod));
            try {
                hostSide(s, hostLink, v6);
                Link podLink = podSide(s, pnl, v6);
                for (IpNet a : s.addresses()) {
                    nl.routeReplace(Route.to(prefix(a)).dev(hostLink.index()).scope(Scope.LINK).protocol(PROTOCOL));
                }
                return attachment(s, hostLink, podLink);
            } catch (RuntimeException e) {
                // Leave nothing half-programmed: the veth takes its peer and routes with it.
                nl.findLink(s.hostIfname()).ifPresent(l -> nl.linkDel(l.name()));
                throw e;
            }
        } catch (NetlinkException e) {
            throw new CniError(CniError.DATAPLANE_FAILURE, "kernel refused a change for " + s.containerId(), e.getMessage());
        }
    }

    private void hostSide(Spec s, Link hostLink, boolean v6) {
        String n = s.hostIfname();
        nl.sysctlSet("net.ipv4.conf." + n + ".route_localnet", "1");
        nl.sysctlSet("net.ipv4.neigh." + n + ".proxy_delay", "0");
        nl.sysctlSet("net.ipv4.conf." + n + ".proxy_arp", "1");
        nl.sysctlSet("net.ipv4.conf." + n + ".forwarding", "1");
        if (v6) {
            nl.sysctlSet("net.ipv6.conf." + n + ".disable_ipv6", "0");
            nl.sysctlSet("net.ipv6.conf." + n + ".accept_dad", "0");
            nl.sysctlSet("net.ipv6.conf." + n + ".accept_ra", "0");
            nl.sysctlSet("net.ipv6.conf." + n + ".proxy_ndp", "1");
            nl.sysctlSet("net.ipv6.conf." + n + ".forwarding", "1");
        }
        nl.linkSetUp(hostLink.name());
    }

    private static Link podSide(Spec s, NetlinkHandle pnl, boolean v6) {
        Link eth = pnl.linkByName(s.ifname());
        if (v6) {
            pnl.sysctlSet("net.ipv6.conf." + s.ifname() + ".accept_dad", "0");
        }
        pnl.linkSetUp(s.ifname());
        for (IpNet a : s.addresses()) {
            pnl.addrReplace(Addr.of(eth.index(), prefix(a)).withFlags(a.isV4() ? 0 : Addr.NODAD));
        }
        if (s.addresses().stream().anyMatch(IpNet::isV4)) {
            pnl.routeReplace(Route.to(new IpPrefix(GATEWAY_V4, 32)).dev(eth.index()).scope(Scope.LINK));
            pnl.routeReplace(Route.to("0.0.0.0/0").via(GATEWAY_V4).dev(eth.index()));
        }
        if (v6) {
            pnl.routeReplace(Route.to("::/0").via(GATEWAY_V6).dev(eth.index()));
        }
        return eth;
    }

    @Override
    public void del(String netns, String ifname) {
        if (netns == null || netns.isEmpty() || !Files.exists(Path.of(netns))) {
            return;
        }
        NetNs pod;
        try {
            pod = NetNs.open(Path.of(netns));
        } catch (ErrnoException e) {
            log.atInfo().addKeyValue("netns", netns).addKeyValue("error", e.getMessage()).log("DEL: namespace already gone");
            return;
        }
        try (pod; NetlinkHandle pnl = NetlinkHandle.open(pod)) {
            pnl.findLink(ifname).ifPresent(l -> pnl.linkDel(l.name()));
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ENODEV) {
                throw new CniError(CniError.DATAPLANE_FAILURE, "cannot delete " + ifname + " in " + netns, e.getMessage());
            }
        }
    }

    @Override
    public void check(Spec s) {
        try (NetNs pod = openPod(s.netns()); NetlinkHandle pnl = NetlinkHandle.open(pod)) {
            List<String> problems = problems(s, pnl);
            if (!problems.isEmpty()) {
                throw new CniError(CniError.CHECK_FAILED, "container network differs from its result", String.join("; ", problems));
            }
        }
    }

    /** Desired vs actual: dumps our blackhole routes, adds the missing, deletes the extra. */
    @Override
    public void blockRoutes(Set<IpNet> blocks) {
        Set<IpPrefix> want = new HashSet<>();
        blocks.forEach(b -> want.add(prefix(b)));
        Set<IpPrefix> have = new HashSet<>();
        try {
            for (Route r : nl.routeList(RouteFilter.main().protocol(PROTOCOL).type(RouteType.BLACKHOLE))) {
                if (!want.contains(r.dst())) {
                    nl.routeDel(r);
                    log.atInfo().addKeyValue("block", r.dst()).log("removed blackhole route of a released block");
                }
                have.add(r.dst());
            }
            for (IpPrefix p : want) {
                if (!have.contains(p)) {
                    nl.routeReplace(Route.to(p).type(RouteType.BLACKHOLE).protocol(PROTOCOL));
                    log.atInfo().addKeyValue("block", p).log("added blackhole route for a claimed block");
                }
            }
        } catch (NetlinkException e) {
            throw new CniError(CniError.DATAPLANE_FAILURE, "cannot program blackhole routes for this node's blocks", e.getMessage());
        }
    }

    /**
     * 50 if the netlink socket on the node namespace cannot dump links (nothing can be wired);
     * 51 if forwarding is off there, because every pod's traffic beyond its veth is routed by the
     * node, so running pods are cut off as well.
     */
    @Override
    public void status(boolean ipv6) {
        try {
            nl.linkByName("lo");
        } catch (RuntimeException e) {
            throw new CniError(CniError.PLUGIN_NOT_AVAILABLE, "netlink on the node namespace fails", e.getMessage());
        }
        List<String> off = new ArrayList<>();
        if (!"1".equals(nl.sysctlGet("net.ipv4.ip_forward"))) {
            off.add("net.ipv4.ip_forward");
        }
        if (ipv6 && !"1".equals(nl.sysctlGet("net.ipv6.conf.all.forwarding"))) {
            off.add("net.ipv6.conf.all.forwarding");
        }
        if (!off.isEmpty()) {
            throw new CniError(CniError.PLUGIN_NOT_AVAILABLE_LIMITED_CONNECTIVITY, "forwarding is off on the node",
                    String.join(", ", off) + " is 0: pods cannot reach beyond the node");
        }
    }

    /** Every difference between the kernel and {@code s}, in words; empty when all is in place. */
    List<String> problems(Spec s, NetlinkHandle pnl) {
        List<String> out = new ArrayList<>();
        Optional<Link> hostLink = nl.findLink(s.hostIfname());
        Optional<Link> podLink = pnl.findLink(s.ifname());
        if (hostLink.isEmpty()) {
            out.add("host interface " + s.hostIfname() + " missing");
        }
        if (podLink.isEmpty()) {
            out.add("interface " + s.ifname() + " missing in " + s.netns());
        }
        if (!out.isEmpty()) {
            return out;
        }
        Link h = hostLink.get();
        Link p = podLink.get();
        if (!"veth".equals(h.kind()) || !"veth".equals(p.kind())) {
            out.add("not a veth pair: " + h.kind() + "/" + p.kind());
        }
        if (!HOST_MAC.equalsIgnoreCase(h.hardwareAddr())) {
            out.add(s.hostIfname() + " MAC " + h.hardwareAddr() + " is not " + HOST_MAC);
        }
        if (!h.isUp() || !p.isUp()) {
            out.add("link down: host " + h.isUp() + ", pod " + p.isUp());
        }
        if (p.linkNetnsId().isEmpty() || h.linkNetnsId().isEmpty() || p.parentIndex() != h.index()) {
            out.add(s.ifname() + " is not the peer of " + s.hostIfname());
        }
        if (!"1".equals(nl.sysctlGet("net.ipv4.conf." + s.hostIfname() + ".proxy_arp"))) {
            out.add("proxy_arp off on " + s.hostIfname());
        }
        List<Addr> podAddrs = new ArrayList<>(pnl.addrList(p.index(), Family.INET));
        podAddrs.addAll(pnl.addrList(p.index(), Family.INET6));
        List<Route> hostRoutes = nl.routeList(RouteFilter.main().dev(h.index()));
        List<Route> podRoutes = new ArrayList<>(pnl.routeList(RouteFilter.main().family(Family.INET).dev(p.index())));
        podRoutes.addAll(pnl.routeList(RouteFilter.main().family(Family.INET6).dev(p.index())));
        for (IpNet a : s.addresses()) {
            IpPrefix want = prefix(a);
            if (podAddrs.stream().noneMatch(x -> x.prefix().equals(want))) {
                out.add("address " + a + " missing on " + s.ifname());
            }
            if (hostRoutes.stream().noneMatch(r -> r.dst().equals(want))) {
                out.add("host route " + a + " dev " + s.hostIfname() + " missing");
            }
            InetAddress gw = a.isV4() ? GATEWAY_V4 : GATEWAY_V6;
            if (podRoutes.stream().noneMatch(r -> r.dst().isDefault() && r.gateway().equals(Optional.of(gw)))) {
                out.add("default route via " + IpNet.format(gw) + " missing in pod");
            }
        }
        return out;
    }

    private Attachment attachment(Spec s, Link h, Link p) {
        List<Result.Route> routes = new ArrayList<>();
        if (s.addresses().stream().anyMatch(IpNet::isV4)) {
            routes.add(Result.Route.to(IpNet.parse("0.0.0.0/0"), GATEWAY_V4));
        }
        if (s.addresses().stream().anyMatch(a -> !a.isV4())) {
            routes.add(Result.Route.to(IpNet.parse("::/0"), GATEWAY_V6));
        }
        return new Attachment(new Result.Interface(h.name(), h.hardwareAddr(), h.mtu(), null),
                new Result.Interface(p.name(), p.hardwareAddr(), p.mtu(), s.netns()), routes);
    }

    /**
     * MTU of the interface the host's IPv4 default route leaves by; 1500 if there is none. Read at
     * most every {@link #MTU_TTL_NANOS}: it is a route dump, and it changes about never.
     */
    int detectMtu() {
        long now = System.nanoTime();
        long[] c = mtuCache;
        if (c != null && now - c[1] < MTU_TTL_NANOS) {
            return (int) c[0];
        }
        int mtu = DEFAULT_MTU;
        for (Route r : nl.routeList(RouteFilter.main().family(Family.INET))) {
            if (r.dst().isDefault() && r.linkIndex() > 0) {
                mtu = nl.linkByIndex(r.linkIndex()).mtu();
                break;
            }
        }
        mtuCache = new long[] {mtu, now};
        return mtu;
    }

    private static NetNs openPod(String netns) {
        try {
            return NetNs.open(Path.of(netns));
        } catch (ErrnoException e) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "cannot open CNI_NETNS", netns + ": " + e.getMessage());
        }
    }

    static IpPrefix prefix(IpNet a) {
        return new IpPrefix(a.address(), a.prefix());
    }

    public NetNs host() {
        return host;
    }
}
