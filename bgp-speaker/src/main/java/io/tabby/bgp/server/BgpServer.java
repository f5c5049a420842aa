package io.tabby.bgp.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tabby.bgp.config.BgpConfig;
import io.tabby.bgp.config.Communities;
import io.tabby.bgp.config.PeerConfig;
import io.tabby.bgp.config.PeerOptions;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.session.State;
import io.tabby.bgp.session.Transport;
import io.tabby.bgp.wire.Addresses;
import io.tabby.bgp.wire.Prefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speaker: a listener, one {@link PeerSession} per configured neighbor (each pinned to one
 * event loop of the group), neighbors accepted on the fly from configured prefix ranges, and
 * the {@link RouteTable}. Uses the epoll transport when available (needed for TCP MD5 and
 * GTSM), NIO otherwise. With {@code netns} set, every socket is created inside that namespace
 * by a dedicated thread (see {@link NetnsThread}).
 */
public final class BgpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BgpServer.class);

    private final BgpConfig config;
    private final boolean epoll;
    private final EventLoopGroup group;
    private final NetnsThread netns;
    private final RouteTable table;
    private final Map<InetAddress, PeerSession> peers = new ConcurrentHashMap<>();
    private final Map<InetAddress, PeerConfig> configured = new HashMap<>();
    private final Transport transport = this::connect;
    private Channel listener;

    public BgpServer(BgpConfig config) {
        config.validate();
        this.config = config;
        this.epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.netns = config.netns() == null ? null : new NetnsThread(Path.of(config.netns()));
        this.table = new RouteTable(config.localAs(), config.originate().stream().map(o -> new Advertiser.Route(
                Prefix.parse(o.prefix()), o.communities().stream().map(Communities::parse).toList(), o.med(),
                o.localPref(), o.nextHop() == null ? null : Addresses.parse(o.nextHop()))).toList());
        for (PeerConfig p : config.peers()) {
            configured.put(Addresses.parse(p.address()), p);
        }
        if (!epoll && config.peers().stream().anyMatch(p -> p.options().password() != null || p.options().ttlSecurityHops() != null)) {
            throw new IllegalStateException("TCP MD5 and GTSM need the epoll transport, which is not available: "
                    + Epoll.unavailabilityCause());
        }
    }

    /** Opens the listener (unless port -1) and starts every configured peer. */
    public BgpServer start() {
        int port = config.listen().portOrDefault();
        if (port >= 0) {
            ServerBootstrap b = new ServerBootstrap().group(group)
                    .channelFactory(inNamespace(epoll ? EpollServerSocketChannel::new : NioServerSocketChannel::new))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
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
                Boolean.TRUE.equals(o.extendedMessage()), o.fourOctetAs() == null || o.fourOctetAs());
        return new PeerSession(sc, new InetSocketAddress(address, port), group.next(), transport, new Listener());
    }

    /** Logs, and forgets dynamic peers once their session is gone. */
    private final class Listener extends ForwardingListener {
        Listener() {
            super(table);
        }

        @Override
        public void transition(PeerSession peer, State from, State to, Reason reason, String detail) {
            if (to == State.IDLE && !configured.containsKey(peer.remote().getAddress())) {
                peers.remove(peer.remote().getAddress(), peer);
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
        return netns == null ? plain : () -> netns.call(plain::newChannel);
    }

    /** The received routes of one peer (by address literal). */
    public Map<Prefix, RouteTable.Route> routes(String peer) {
        return table.routes(Addresses.parse(peer).getHostAddress());
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
        group.shutdownGracefully(200, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        if (netns != null) {
            netns.close();
        }
    }

    @Override
    public void close() {
        if (!group.isShuttingDown()) {
            shutdown("speaker stopped");
        }
    }
}
