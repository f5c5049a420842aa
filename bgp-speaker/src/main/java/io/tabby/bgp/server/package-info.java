/**
 * The speaker process: {@link io.tabby.bgp.server.BgpServer} wires config, listener, peers and
 * the part-1 routing layer ({@link io.tabby.bgp.server.RouteTable}: per-peer received routes plus
 * origination via the pure {@link io.tabby.bgp.server.Advertiser}).
 *
 * <pre>
 *  BgpConfig -> BgpServer -+-> ServerBootstrap (listen; dynamic peers by prefix range) -> PeerSession.accept
 *                          +-> PeerSession per neighbor (one event loop each) -> Transport.connect (Bootstrap)
 *                          +-> RouteTable (SessionListener): up -> Advertiser UPDATEs + End-of-RIB,
 *                                                            update -> per-peer Adj-RIB-In, down -> flush
 * </pre>
 *
 * Implements TCP MD5 (RFC 2385, epoll's TCP_MD5SIG), GTSM (RFC 5082, IP_TTL/IP_MINTTL through
 * setsockopt), administrative shutdown with a Shutdown Communication (RFC 9003), and sockets
 * opened inside a chosen network namespace from a dedicated setns(2) thread.
 */
package io.tabby.bgp.server;
