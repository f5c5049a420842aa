package io.tabby.bgp.session;

import io.tabby.bgp.wire.BgpMessage;
import java.util.List;

/**
 * What a session tells the routing layer, always on the peer's event loop. In part 1 the
 * server's per-peer table implements it; the RIB of part 2 will be the next implementation.
 */
public interface SessionListener {
    void up(PeerSession peer, Negotiated negotiated);

    void down(PeerSession peer, String reason);

    /** Attributes are already RFC 6793-merged. With {@code treatAsWithdraw} every announced prefix is a withdrawal. */
    void update(PeerSession peer, BgpMessage.Update update, List<String> notes, boolean treatAsWithdraw);

    void refresh(PeerSession peer, BgpMessage.RouteRefresh request);

    /** Every state change, for logs and tests. */
    default void transition(PeerSession peer, State from, State to, Reason reason, String detail) {}
}
