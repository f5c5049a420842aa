/**
 * rtnetlink for Tabby: links, addresses, routes, neighbours, sysctls, batches and events of one
 * network namespace, with the verbs of iproute2 and the API shape of vishvananda/netlink.
 *
 * <p>In: value records ({@link io.tabby.netlink.Veth}, {@link io.tabby.netlink.Addr},
 * {@link io.tabby.netlink.Route} with {@link io.tabby.netlink.NextHop}s,
 * {@link io.tabby.netlink.Neigh}, {@link io.tabby.netlink.Change}). Out: the kernel's state as
 * the same records ({@link io.tabby.netlink.Link}, ...), typed errors
 * ({@link io.tabby.netlink.NetlinkException}: operation, object, errno, kernel message), per-change
 * {@link io.tabby.netlink.Outcome}s of a batch and {@link io.tabby.netlink.Event}s.
 *
 * <pre>{@code
 * try (NetNs node = NetNs.openNamed("n1"); NetNs pod = NetNs.open(Path.of(cniNetns));
 *      NetlinkHandle h = NetlinkHandle.open(node)) {
 *     Link cali = h.linkAddVeth(Veth.of("cali12345678901", "eth0").peerIn(pod).mtu(1450));
 *     h.linkSetUp(cali.name());
 *     h.routeReplace(Route.to("10.244.1.2/32").dev(cali.index()).protocol(TABBY));
 *     h.sysctlSet("net.ipv4.conf.cali12345678901.proxy_arp", "1");
 * }
 * }</pre>
 *
 * <p>The namespace a process itself runs in (the node's, for the CNI plugin and the agent) is
 * opened explicitly like any other: {@code NetNs.open(Path.of("/proc/self/ns/net"))}. There is no
 * hidden default handle.
 *
 * <p>Data flow (vishvananda's, in Java): value → {@code Messages} builds an
 * {@link io.tabby.netlink.wire.RtMessage} (validating first) → {@code NetlinkSocket} sends it
 * with NLM_F_ACK and reads the answer(s) → {@code Messages} decodes → values. The socket is
 * opened on the namespace's own thread ({@link io.tabby.netlink.ns}) and then used from any
 * thread; one lock serializes exchanges on it.
 *
 * <p>Stable API (additive changes only):
 * <ul>
 *   <li>{@link io.tabby.netlink.NetlinkHandle#open(io.tabby.netlink.ns.NetNs)}, {@code close}.
 *   <li>Links: {@code linkList}, {@code linkByName}, {@code linkByIndex}, {@code findLink},
 *       {@code linkAddVeth(Veth)}, {@code linkDel}, {@code linkSetUp/Down/Mtu/HardwareAddr/Name/Netns}.
 *   <li>Addresses: {@code addrAdd/Replace/Del(Addr)}, {@code addrList(Family)}, {@code addrList(int, Family)}.
 *   <li>Routes: {@code routeAdd/Replace/Del(Route)}, {@code routeList()}, {@code routeList(RouteFilter)}.
 *   <li>Neighbours: {@code neighAdd/Replace/Del(Neigh)}, {@code neighList(int, Family)},
 *       {@code neighProxyList(int, Family)} (proxy entries: {@code Neigh.proxy}).
 *   <li>Sysctls: {@code sysctlGet}, {@code sysctlSet}. Batches: {@code batch(List<Change>)}.
 *       Events: {@code subscribe(Set<EventGroup>, Consumer<Event>)}. Metrics: {@code dumpRestarts}.
 *   <li>Namespaces: {@link io.tabby.netlink.ns.NetNs#create}, {@code delete}, {@code open},
 *       {@code openNamed}, {@code call}, {@code run}, {@code fd}, {@code close}.
 *   <li>nftables: {@link io.tabby.netlink.nft.NftContext} ({@code in(NetNs)}, {@code inNamed},
 *       {@code run}, {@code check}, {@code close}), libnftables kept open in one namespace.
 * </ul>
 *
 * <p>Ours versus theirs: routes carry a caller-chosen {@link io.tabby.netlink.RouteProtocol}
 * ({@code rtm_protocol}), and {@link io.tabby.netlink.RouteFilter} lists by table and protocol,
 * so a sweep finds exactly the routes one owner made. Specifications: RFC 3549; the kernel's
 * rtnetlink UAPI headers and {@code net/core/rtnetlink.c}; iproute2 {@code ip/iproute.c} for
 * request defaults (scope, protocol).
 */
package io.tabby.netlink;
