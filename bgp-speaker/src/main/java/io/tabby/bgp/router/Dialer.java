package io.tabby.bgp.router;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.session.SessionListener;
import io.tabby.bgp.session.Transport;
import io.tabby.netlink.ns.NetNs;
import java.net.InetSocketAddress;

/**
 * Outgoing BGP sessions whose TCP sockets are created inside a network namespace (through the
 * netlink module's {@link NetNs#call}, so no shared thread ever switches namespace), delivering
 * to any {@link SessionListener}. This is what the namespace tests and the bgperf-style benchmark
 * use to put a {@link RibRouter} behind real sessions while part 1's {@code BgpServer} still
 * builds its own listener; no MD5, GTSM or incoming connections (that is {@code BgpServer}'s job).
 */
public final class Dialer {
    private Dialer() {}

    /** An active session to {@code remote}:179 from inside {@code ns}, started. */
    public static PeerSession connect(NetNs ns, EventLoopGroup io, SessionConfig cfg, String remote, SessionListener l) {
        Transport transport = (peer, attempt) -> {
            ChannelFuture f = new Bootstrap().group(peer.loop())
                    .channelFactory(() -> ns.call(NioSocketChannel::new))
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {}
                    })
                    .connect(peer.remote());
            f.addListener((ChannelFuture done) -> {
                if (done.isSuccess()) {
                    peer.connected(attempt, done.channel());
                } else {
                    peer.connectFailed(attempt, String.valueOf(done.cause()));
                }
            });
            return () -> f.channel().close();
        };
        PeerSession s = new PeerSession(cfg, new InetSocketAddress(remote, 179), io.next(), transport, l);
        s.start();
        return s;
    }
}
