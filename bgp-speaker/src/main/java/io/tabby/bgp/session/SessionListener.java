package io.tabby.bgp.session;

import io.tabby.bgp.wire.BgpMessage;
import java.util.List;

/**
 * What a session tells the routing layer, always on the peer's event loop. In part 1 the
 * server's per-peer table implements it; the RIB of part 2 will be the next implementation.
 */
public interface SessionListener {
    void up(PeerSession peer, Negotiated negotiated);

    /**
     * The session left Established. {@code why} tells a loss without NOTIFICATION
     * ({@link Reason#TCP_FAILED}, {@link Reason#HOLD_TIMER_EXPIRED}, {@link Reason#PEER_RESTARTED}:
     * graceful restart applies, RFC 4724 4.2) from the others.
     */
    void down(PeerSession peer, Reason why, String detail);

    /** Attributes are already RFC 6793-merged. With {@code treatAsWithdraw} every announced prefix is a withdrawal. */
    void update(PeerSession peer, BgpMessage.Update update, List<String> notes, boolean treatAsWithdraw);

    void refresh(PeerSession peer, BgpMessage.RouteRefresh request);

    /** Every state change, for logs and tests. */
    default void transition(PeerSession peer, State from, State to, Reason reason, String detail) {}
}
