package io.tabby.bgp.session;

/**
 * Opens outgoing connections for a {@link PeerSession}: the server's Netty bootstrap in
 * production, a hand-written fake in tests. The result comes back through
 * {@link PeerSession#connected} or {@link PeerSession#connectFailed} on the peer's loop.
 */
public interface Transport {
    /** Starts connecting; the returned handle aborts an attempt still in progress. */
    Runnable connect(PeerSession peer, Object attempt);
}
