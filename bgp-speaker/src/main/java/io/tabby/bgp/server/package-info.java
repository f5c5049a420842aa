/**
 * The speaker process, {@code tabby bgp run}: {@link io.tabby.bgp.server.BgpServer} wires config,
 * listener, peers, the routing core ({@link io.tabby.bgp.router.RibRouter} over a
 * {@link io.tabby.bgp.routing.Rib}), the kernel (FIB, next-hop resolution, redistribution through
 * the netlink module) and the looking-glass API.
 *
 * <pre>
 *  BgpConfig -> BgpServer -+-> WarmUp (optional, before anything opens): 4 private BgpServers on loopback
 *                          +-> ServerBootstrap (listen; dynamic peers by prefix range) -> PeerSession.accept
 *                          +-> PeerSession per neighbor (one event loop each) -> Transport.connect (Bootstrap)
 *                          +-> RibRouter (SessionListener, its own loop) -> Rib -> UPDATEs, FibExporter -> kernel
 *                          +-> KernelFeed: netlink route subscription -> NextHopTable (reachability), Redistributor -> Rib
 *                          +-> SessionBook (state, transitions, last error; metrics) + Rib views -> ApiServer
 * </pre>
 *
 * In: a validated {@link io.tabby.bgp.config.BgpConfig}. Out: sessions, kernel routes of our
 * protocol, the API socket. Implements TCP MD5 (RFC 2385, epoll's TCP_MD5SIG), GTSM (RFC 5082,
 * IP_TTL/IP_MINTTL through setsockopt), administrative shutdown with a Shutdown Communication
 * (RFC 9003), max-prefix restart (RFC 4486 Cease 6/1), next-hop resolvability (RFC 4271 9.1.2),
 * and sockets opened inside a chosen network namespace through the netlink module's {@code NetNs}.
 */
package io.tabby.bgp.server;
