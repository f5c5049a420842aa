package io.tabby.bgp.server;

import com.codahale.metrics.MetricRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tabby.bgp.api.ApiServer;
import io.tabby.bgp.api.PeerStatus;
import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.config.Communities;
import io.tabby.bgp.config.PeerConfig;
import io.tabby.bgp.config.PeerOptions;
import io.tabby.bgp.fib.FibExporter;
import io.tabby.bgp.fib.NetlinkKernelRoutes;
import io.tabby.bgp.fib.NextHopTable;
import io.tabby.bgp.fib.Redistributor;
import io.tabby.bgp.policy.ExportRules;
import io.tabby.bgp.policy.Speaker;
import io.tabby.bgp.rib.AttrSet;
import io.tabby.bgp.rib.BestPath;
import io.tabby.bgp.rib.Peer;
import io.tabby.bgp.router.RibRouter;
import io.tabby.bgp.routing.LookingGlass;
import io.tabby.bgp.routing.Neighbour;
import io.tabby.bgp.routing.Rib;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.session.State;
import io.tabby.bgp.session.Transport;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Family;
import io.tabby.bgp.wire.PathAttribute;
import io.tabby.bgp.wire.Prefix;
import io.tabby.netlink.NetlinkHandle;
import io.tabby.netlink.ns.NetNs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speaker, {@code tabby bgp run}: a listener, one {@link PeerSession} per configured neighbor
 * (each pinned to one event loop of the group), neighbors accepted on the fly from configured
 * prefix ranges, and behind every session the {@link RibRouter} with its {@link Rib} (best path,
 * policies, Adj-RIB-Out) on a loop of its own, the kernel FIB ({@link FibExporter}) when enabled,
 * next-hop reachability from the kernel's routing table ({@link NextHopTable}) and redistribution
 * of selected kernel routes ({@link Redistributor}), both fed by a {@link KernelFeed}, and the looking-glass API ({@link ApiServer}).
 * Uses the epoll transport when available (needed for TCP MD5 and GTSM), NIO otherwise. With
 * {@code netns} set, every socket (BGP and netlink) is created inside that namespace by the
 * netlink module's {@link NetNs} thread; without it, in the process's own namespace.
 */
public final class BgpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BgpServer.class);

    private final BgpConfig config;
    private final boolean epoll;
    private final EventLoopGroup group;
    private final EventLoop ribLoop;
    private final NetNs netns;
    private final MetricRegistry metrics = new MetricRegistry();
    private final SessionBook book = new SessionBook(metrics, Clock.systemUTC());
    private final Rib rib;
    private final NextHopTable nextHops; // null: every next hop reachable
    private final Map<InetAddress, PeerSession> peers = new ConcurrentHashMap<>();
    private final Map<InetAddress, PeerConfig> configured = new HashMap<>();
    private final Transport transport = this::connect;
    private RibRouter router;
    private boolean preserved; // set in start(): our kernel routes outlived the previous run
    private NetlinkHandle netlink;
    private KernelFeed kernelFeed;
    private ApiServer api;
    private Channel listener;
    private WarmUp.Result warmUp;
    /** SO_SNDBUF and Netty's high-water mark of accepted connections; 0 leaves the defaults. */
    private int acceptedSendBuffer;
    /** SO_RCVBUF of connections we open; 0 leaves it to the kernel's autotuning. */
    private int connectedReceiveBuffer;
    /** Given to the RIB router when {@link #start()} builds it; null keeps its default. */
    private Consumer<Error> fatal;

    /**
     * Ends the process (status 70) when a RIB task throws an {@link Error}, saying so on stderr as
     * {@code who}: the task stopped part-way, so the RIB may hold half an UPDATE and must not go on
     * advertising (see {@link RibRouter#onFatalError}). {@code halt}, not {@code exit}: the shutdown
     * hook would send a Cease to every peer, and graceful restart should keep our routes at the peers
     * and in the kernel until the process is back. Set before {@link #start()}.
     */
    public BgpServer haltOnFatalError(String who) {
        this.fatal = e -> {
            System.err.println(who + ": RIB task failed with " + e + "; exiting (status 70)");
            System.err.flush();
            Runtime.getRuntime().halt(70);
        };
        return this;
    }

    /**
     * Fixes the socket send buffer, and Netty's high-water mark of queued output, of connections
     * accepted from now on (before {@link #start()}). Only the JIT warm-up's hub uses it: with
     * small buffers its writes to a sink that has stopped reading back up within a table round,
     * as a speaker's do towards a slow real peer.
     */
    BgpServer acceptedSendBuffer(int bytes) {
        this.acceptedSendBuffer = bytes;
        return this;
    }

    /**
     * Fixes the socket receive buffer of connections we open from now on (before {@link #start()}),
     * which also stops the kernel growing it. Only the JIT warm-up's sink uses it: its window must
     * stay small for the hub's writes to back up when it stops reading.
     */
    BgpServer connectedReceiveBuffer(int bytes) {
        this.connectedReceiveBuffer = bytes;
        return this;
    }

    /**
     * Validates and builds the RIB; starts the threads (session loops, the namespace's thread).
     * Sockets (BGP, netlink, API) are opened by {@link #start()}.
     */
    public BgpServer(BgpConfig config) {
        config.validate();
        this.config = config;
        this.epoll = Epoll.isAvailable();
        if (!epoll && config.peers().stream().anyMatch(p -> p.options().password() != null || p.options().ttlSecurityHops() != null)) {
            throw new IllegalStateException("TCP MD5 and GTSM need the epoll transport, which is not available: "
                    + Epoll.unavailabilityCause());
        }
        var routerId = Addresses.parse4(config.routerId());
        Speaker me = new Speaker(config.localAs(), routerId,
                config.clusterId() == null ? routerId : Addresses.parse4(config.clusterId()), true);
        this.nextHops = config.resolveNextHopsInKernel()
                ? new NextHopTable(io.tabby.bgp.fib.KernelRoute.TABLE_MAIN, config.fib().protocolOrDefault()) : null;
        BestPath.Options options = BestPath.Options.DEFAULT
                .withMaxPaths(config.maxPaths() == null ? 1 : config.maxPaths())
                .withAlwaysCompareMed(Boolean.TRUE.equals(config.alwaysCompareMed()))
                .withIgp(nextHops == null ? BestPath.NextHopCost.ALL_REACHABLE : nextHops);
        this.rib = new Rib(me, Set.of(Family.IPV4_UNICAST, Family.IPV6_UNICAST), options, metrics);
        for (PeerConfig p : config.peers()) {
            InetAddress a = Addresses.parse(p.address());
            configured.put(a, p);
            book.configured(a);
        }
        // Threads last, so nothing above can leave them running.
        this.netns = NetNs.open(Path.of(config.netns() == null ? "/proc/self/ns/net" : config.netns()));
        this.group = new MultiThreadIoEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        // The RIB lives on one of the session loops rather than a thread of its own: sessions on
        // that loop hand it UPDATEs (and take drained ones) without a queue hop and a wake-up, and
        // they read no further ahead of the RIB than one loop turn. On one CPU (the bgperf target
        // is pinned to one) that is every session, as in BIRD's single-threaded loop.
        this.ribLoop = group.next();
    }

    /** The routing settings of a neighbour whose session came up (configured, or from its dynamic range). */
    private Neighbour neighbour(Peer peer, InetAddress local) {
        PeerOptions o = optionsOf(peer.address());
        Peer p = Boolean.TRUE.equals(o.routeReflectorClient())
                ? new Peer(peer.address(), peer.routerId(), peer.as(), peer.kind(), true) : peer;
        return new Neighbour(p, local, o.nextHopMode(), config.policiesFor(p, o), o.maxPrefixLimit(), 0, o.retention());
    }

    private PeerOptions optionsOf(InetAddress a) {
        PeerConfig pc = configured.get(a);
        if (pc != null) {
            return pc.options();
        }
        return config.dynamicPeers().stream().filter(d -> Prefix.parse(d.prefix()).contains(a)).findFirst()
                .map(d -> d.options() == null ? PeerOptions.DEFAULTS : d.options()).orElse(PeerOptions.DEFAULTS);
    }

    /** Our configured routes: next hop self per neighbour unless one is given, communities, MED, LOCAL_PREF. */
    private static AttrSet originated(BgpConfig.Originate o) {
        List<PathAttribute> extra = new ArrayList<>();
        if (!o.communities().isEmpty()) {
            extra.add(new PathAttribute.Communities(o.communities().stream().map(Communities::parse).toList()));
        }
        if (o.med() != null) {
            extra.add(new PathAttribute.MultiExitDisc(o.med()));
        }
        if (o.localPref() != null) {
            extra.add(new PathAttribute.LocalPref(o.localPref()));
        }
        AttrSet a = ExportRules.originate(0, extra);
        return o.nextHop() == null ? a : a.withNextHops(List.of(Addresses.parse(o.nextHop())));
    }

    /**
     * Runs the JIT warm-up if one is configured (see {@link WarmUp}; before anything of ours is
     * open: a peer that connects meanwhile is refused and tries again), then opens netlink (if the FIB, next-hop resolution or
     * redistribution need it), the RIB, the API socket, the listener (unless port -1), and starts
     * every configured peer.
     */
    public BgpServer start() {
        if (config.warmUp() != null) {
            warmUp = WarmUp.run(config.warmUp(), config.netns());
        }
        try {
            return open();
        } catch (RuntimeException e) {
            // A port in use, a netlink or namespace failure: close what was opened, then say why.
            log.atError().setCause(e).log("speaker failed to start");
            shutdown("speaker failed to start");
            throw e;
        }
    }

    private BgpServer open() {
        boolean kernel = config.fib().enabled() || nextHops != null || config.redistribute() != null;
        FibExporter fib = null;
        Redistributor redistributor = null;
        if (kernel) {
            netlink = NetlinkHandle.open(netns);
            if (config.fib().enabled()) {
                fib = new FibExporter(new NetlinkKernelRoutes(netlink), config.fib().protocolOrDefault(),
                        config.fib().tableOrDefault());
            }
            if (config.redistribute() != null) {
                List<Integer> comms = config.redistribute().communityValues();
                AttrSet attrs = ExportRules.originate(2, comms.isEmpty() ? List.of() : List.of(new PathAttribute.Communities(comms)));
                redistributor = new Redistributor(new NetlinkKernelRoutes(netlink), io.tabby.bgp.fib.KernelRoute.TABLE_MAIN,
                        config.fib().protocolOrDefault(), config.redistribute().filter(), p -> attrs);
            }
        }
        // RFC 4724: routes of our protocol still in the kernel mean the previous run's forwarding
        // state survived; say so in our OPENs (R and F bits) and keep them until the peers' End-of-RIB.
        preserved = config.gracefulRestart().on() && RibRouter.preserved(fib);
        router = new RibRouter(ribLoop, rib, fib, this::neighbour, config.gracefulRestart(), preserved, configured.keySet());
        if (fatal != null) {
            router.onFatalError(fatal);
        }
        for (BgpConfig.Originate o : config.originate()) {
            router.originate(Prefix.parse(o.prefix()), originated(o));
        }
        if (kernel) {
            kernelFeed = new KernelFeed(netlink, ribLoop, router, rib, nextHops, redistributor,
                    config.fib().protocolOrDefault()).start();
        }
        if (!"none".equals(config.apiSocket())) {
            try {
                api = ApiServer.start(Path.of(config.apiSocketOrDefault()), new ApiServer.Sources(this::peerStatus, this::routes, metrics));
            } catch (RuntimeException e) {
                // The speaker routes without its looking glass rather than not at all.
                log.atError().addKeyValue("socket", config.apiSocketOrDefault()).setCause(e).log("looking-glass API not started");
            }
        }
        int port = config.listen().portOrDefault();
        if (port >= 0) {
            ServerBootstrap b = new ServerBootstrap().group(group)
                    .channelFactory(inNamespace(epoll ? EpollServerSocketChannel::new : NioServerSocketChannel::new))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_SNDBUF, acceptedSendBuffer > 0 ? acceptedSendBuffer : null)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            acceptedSendBuffer > 0 ? new WriteBufferWaterMark(acceptedSendBuffer / 2, acceptedSendBuffer) : null)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            incoming(ch);
                        }
                    });
            Map<InetAddress, byte[]> keys = md5Keys();
            if (!keys.isEmpty()) {
                b.option(EpollChannelOption.TCP_MD5SIG, keys);
            }
            listener = b.bind(Addresses.parse(config.listen().addressOrDefault()), port).syncUninterruptibly().channel();
            log.atInfo().addKeyValue("address", listener.localAddress()).addKeyValue("transport", epoll ? "epoll" : "nio")
                    .addKeyValue("netns", config.netns()).log("listening");
        }
        for (PeerConfig p : config.peers()) {
            InetAddress a = Addresses.parse(p.address());
            PeerSession s = newPeer(a, p.port() == null ? 179 : p.port(), p.as(), p.passive(), p.options());
            peers.put(a, s);
            s.start();
        }
        return this;
    }

    private Map<InetAddress, byte[]> md5Keys() {
        Map<InetAddress, byte[]> keys = new HashMap<>();
        configured.forEach((a, p) -> {
            if (p.options().password() != null) {
                keys.put(a, p.options().password().getBytes(StandardCharsets.US_ASCII));
            }
        });
        return keys;
    }

    private PeerSession newPeer(InetAddress address, int port, long as, boolean passive, PeerOptions o) {
        SessionConfig sc = new SessionConfig(config.localAs(), Addresses.parse4(config.routerId()), as, passive,
                o.holdTime() == null ? 90 : o.holdTime(), Duration.ofSeconds(o.connectRetry() == null ? 5 : o.connectRetry()),
                Duration.ofSeconds(o.delayOpen() == null ? 0 : o.delayOpen()), Duration.ofSeconds(1), Duration.ofSeconds(60),
                o.familySet(), o.addPathMode(), Boolean.TRUE.equals(o.extendedNextHop()),
                Boolean.TRUE.equals(o.extendedMessage()), o.fourOctetAs() == null || o.fourOctetAs())
                .withGracefulRestart(config.gracefulRestart().capability(o.familySet(), router.restarting(), preserved));
        return new PeerSession(sc, new InetSocketAddress(address, port), group.next(), transport, new Listener());
    }

    /** Counts transitions, and forgets dynamic peers once their session is gone. */
    private final class Listener extends ForwardingListener {
        Listener() {
            super(router);
        }

        @Override
        public void transition(PeerSession peer, State from, State to, Reason reason, String detail) {
            super.transition(peer, from, to, reason, detail);
            book.transition(peer.remote().getAddress(), from, to, reason, detail);
            // PEER_RESTARTED: the same PeerSession is taking the peer's new connection right now
            // (RFC 4724 4.2), so a dynamic peer stays.
            if (to == State.IDLE && reason != Reason.PEER_RESTARTED && !configured.containsKey(peer.remote().getAddress())) {
                peers.remove(peer.remote().getAddress(), peer);
                book.forget(peer.remote().getAddress());
                // A dynamic peer has no automatic restart (it will connect again). Stopped after the
                // current transition's actions have run, not re-entrantly from inside it.
                peer.loop().execute(() -> peer.stop(null));
            }
        }
    }

    private void incoming(Channel ch) {
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        InetAddress a = remote.getAddress();
        PeerSession peer = peers.get(a);
        if (peer == null) {
            BgpConfig.DynamicPeers range = config.dynamicPeers().stream()
                    .filter(d -> Prefix.parse(d.prefix()).contains(a)).findFirst().orElse(null);
            if (range == null) {
                log.atWarn().addKeyValue("remote", remote).log("connection from an unknown address refused");
                ch.close();
                return;
            }
            peer = newPeer(a, remote.getPort(), range.as(), true, range.options() == null ? PeerOptions.DEFAULTS : range.options());
            PeerSession raced = peers.putIfAbsent(a, peer);
            if (raced != null) {
                peer = raced;
            } else {
                log.atInfo().addKeyValue("peer", a.getHostAddress()).addKeyValue("range", range.prefix())
                        .log("dynamic peer accepted");
                peer.start();
            }
        }
        PeerConfig pc = configured.get(a);
        if (pc != null && pc.options().ttlSecurityHops() != null) {
            Gtsm.apply(ch, pc.options().ttlSecurityHops(), remote);
        }
        peer.accept(ch);
    }

    private Runnable connect(PeerSession peer, Object attempt) {
        PeerConfig pc = configured.get(peer.remote().getAddress());
        Bootstrap b = new Bootstrap().group(peer.loop())
                .channelFactory(inNamespace(epoll ? EpollSocketChannel::new : NioSocketChannel::new))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_RCVBUF, connectedReceiveBuffer > 0 ? connectedReceiveBuffer : null)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1000, peer.config().connectRetry().toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (pc != null && pc.options().ttlSecurityHops() != null) {
                            Gtsm.apply(ch, pc.options().ttlSecurityHops(), peer.remote());
                        }
                    }
                });
        if (pc != null && pc.options().password() != null) {
            b.option(EpollChannelOption.TCP_MD5SIG,
                    Map.of(peer.remote().getAddress(), pc.options().password().getBytes(StandardCharsets.US_ASCII)));
        }
        ChannelFuture f = pc != null && pc.localAddress() != null
                ? b.connect(peer.remote(), new InetSocketAddress(Addresses.parse(pc.localAddress()), 0))
                : b.connect(peer.remote());
        f.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                peer.connected(attempt, done.channel());
            } else {
                peer.connectFailed(attempt, String.valueOf(done.cause()));
            }
        });
        return () -> f.channel().close();
    }

    private <C extends Channel> ChannelFactory<C> inNamespace(ChannelFactory<C> plain) {
        return config.netns() == null ? plain : () -> netns.call(plain::newChannel);
    }

    /** What one peer (by address literal) sent us, before import policy (its Adj-RIB-In). */
    public Map<Prefix, AttrSet> received(String peer) {
        InetAddress a = Addresses.parse(peer);
        return router.query(r -> r.hasNeighbour(a) ? r.received(a) : Map.<Prefix, AttrSet>of()).join();
    }

    /** Every neighbour: session state joined with the RIB's counts (the API's {@code /peers}). */
    public CompletableFuture<List<PeerStatus>> peerStatus() {
        return router.peers().thenApply(views -> {
            Map<String, LookingGlass.PeerView> byAddress = new HashMap<>();
            views.forEach(v -> byAddress.put(v.address(), v));
            List<PeerStatus> out = new ArrayList<>();
            book.snapshot().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(InetAddress::getAddress, java.util.Arrays::compareUnsigned)))
                    .forEach(e -> {
                        String addr = e.getKey().getHostAddress();
                        SessionBook.Entry s = e.getValue();
                        LookingGlass.PeerView v = byAddress.get(addr);
                        PeerConfig pc = configured.get(e.getKey());
                        long as = v != null ? v.as() : pc != null ? pc.as() : -1;
                        out.add(v == null
                                ? new PeerStatus(addr, as, "", false, s.state().name(), book.uptimeSeconds(s), List.of(),
                                        0, 0, 0, 0, 0, 0, s.transitions(), s.lastError(), "")
                                : new PeerStatus(addr, as, v.kind(), v.rrClient(), s.state().name(), book.uptimeSeconds(s),
                                        s.state() == State.ESTABLISHED ? v.families() : List.of(), v.received(), v.accepted(),
                                        v.advertised(), v.rejected(), v.updatesIn(), v.updatesOut(), s.transitions(),
                                        s.lastError(), v.lastEvent()));
                    });
            return out;
        });
    }

    /** One prefix with every path (the API's {@code /routes?prefix=}), or the first {@code limit} of each family. */
    public CompletableFuture<List<LookingGlass.RouteView>> routes(Optional<Prefix> prefix, int limit) {
        return router.query(r -> {
            if (prefix.isPresent()) {
                return List.of(r.route(prefix.get()));
            }
            List<LookingGlass.RouteView> all = new ArrayList<>(r.routes(Family.IPV4_UNICAST, limit));
            all.addAll(r.routes(Family.IPV6_UNICAST, limit));
            return all;
        });
    }

    /** What the JIT warm-up did ("rounds=[Round[ms=…, compileMs=…], …] …"), or "none". */
    public String warmUpSummary() {
        return warmUp == null ? "none" : warmUp.toString();
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    public RibRouter router() {
        return router;
    }

    /** Where the API listens, or null if it does not. */
    public Path apiSocket() {
        return api == null ? null : api.path();
    }

    /** The peer's current state, or IDLE if unknown. */
    public State state(String peer) {
        PeerSession s = peers.get(Addresses.parse(peer));
        return s == null ? State.IDLE : s.state();
    }

    public PeerSession peer(String peer) {
        return peers.get(Addresses.parse(peer));
    }

    public List<PeerSession> peers() {
        return List.copyOf(peers.values());
    }

    /** The bound listener address (useful with port 0). */
    public InetSocketAddress listenAddress() {
        return listener == null ? null : (InetSocketAddress) listener.localAddress();
    }

    /**
     * Administrative shutdown: every session gets Cease/Administrative Shutdown with
     * {@code message} (RFC 9003), then the listener and loops stop.
     */
    public void shutdown(String message) {
        log.atInfo().addKeyValue("message", message).addKeyValue("peers", peers.size()).log("shutting down");
        // A snapshot: dynamic peers leave the map as soon as they stop, but we still wait for them.
        List<PeerSession> all = List.copyOf(peers.values());
        for (PeerSession p : all) {
            p.stop(message);
        }
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        // Give the peers a moment to read the NOTIFICATION and close their side (bounded).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (all.stream().anyMatch(PeerSession::hasOpenConnections) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        // The kernel feed schedules onto the RIB's loop: stop it before the loops go.
        if (kernelFeed != null) {
            kernelFeed.close();
        }
        if (api != null) {
            api.close();
        }
        group.shutdownGracefully(200, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        if (netlink != null) {
            netlink.close();
        }
        netns.close();
    }

    @Override
    public void close() {
        if (!group.isShuttingDown()) {
            shutdown("speaker stopped");
        }
    }
}
