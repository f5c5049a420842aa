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
import io.tabby.testkit.Netns;
import java.net.InetSocketAddress;

/**
 * Test wiring of part 1's sessions without {@code BgpServer} (which creates its own listener):
 * outgoing sessions whose sockets are created inside a lab namespace.
 */
final class Speakers {
    private Speakers() {}

    /** Opens a lab namespace, refusing this process's own (the root one in these tests). */
    static NetNs inside(Netns lab) {
        NetNs ns = NetNs.open(lab.path());
        if (ns.inode() == NetNs.currentInode()) {
            ns.close();
            throw new IllegalStateException("refusing to use " + lab + ": it is this process's own namespace");
        }
        return ns;
    }

    /** An active session to {@code remote}:179, its TCP socket made inside {@code ns}. Started. */
    static PeerSession connect(NetNs ns, EventLoopGroup io, SessionConfig cfg, String remote, SessionListener l) {
        Transport transport = (peer, attempt) -> {
            ChannelFuture f = new Bootstrap().group(peer.loop())
                    .channelFactory(() -> ns.call(NioSocketChannel::new))
                    .option(ChannelOption.AUTO_READ, false)
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
