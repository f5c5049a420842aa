package io.tabby.bgp.server;

import io.tabby.bgp.session.Negotiated;
import io.tabby.bgp.session.PeerSession;
import io.tabby.bgp.session.Reason;
import io.tabby.bgp.session.SessionListener;
import io.tabby.bgp.session.State;
import io.tabby.bgp.wire.BgpMessage;
import java.util.List;

/** Passes every callback to a delegate; subclasses add to the ones they care about. */
class ForwardingListener implements SessionListener {
    private final SessionListener delegate;

    ForwardingListener(SessionListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void up(PeerSession peer, Negotiated n) {
        delegate.up(peer, n);
    }

    @Override
    public void down(PeerSession peer, Reason why, String detail) {
        delegate.down(peer, why, detail);
    }

    @Override
    public void update(PeerSession peer, BgpMessage.Update u, List<String> notes, boolean treatAsWithdraw) {
        delegate.update(peer, u, notes, treatAsWithdraw);
    }

    @Override
    public void refresh(PeerSession peer, BgpMessage.RouteRefresh r) {
        delegate.refresh(peer, r);
    }

    @Override
    public void transition(PeerSession peer, State from, State to, Reason reason, String detail) {
        delegate.transition(peer, from, to, reason, detail); // the RIB router learns its sessions here
    }
}
