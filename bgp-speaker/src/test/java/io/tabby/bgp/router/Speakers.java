package io.tabby.bgp.router;

import io.netty.channel.EventLoopGroup;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.SessionConfig;
import io.tabby.bgp.session.SessionListener;
import io.tabby.netlink.ns.NetNs;
import io.tabby.testkit.Netns;

/**
 * Test wiring of part 1's sessions without {@code BgpServer} (which creates its own listener):
 * lab namespaces opened safely, and outgoing sessions from inside them ({@link Dialer}).
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
        return Dialer.connect(ns, io, cfg, remote, l);
    }
}
