package io.tabby.bgp.session;

import io.tabby.bgp.wire.BgpMessage;
import java.time.Duration;
import java.util.List;

/** What the FSM asks its shell to do; executed in order by {@link PeerSession}. */
public sealed interface Action {
    /** Initiate the outgoing TCP connection. */
    record Connect() implements Action {}

    /** Close the TCP connection (after flushing what was sent). */
    record Disconnect() implements Action {}

    record Send(BgpMessage message) implements Action {}

    record StartTimer(Timer timer, Duration after) implements Action {}

    record StopTimer(Timer timer) implements Action {}

    /** The OPENs agree: switch the codec to the negotiated {@link Negotiated#rx()}/{@link Negotiated#tx()}. */
    record Negotiate(Negotiated negotiated) implements Action {}

    /** The session is up: advertise routes. */
    record Up(Negotiated negotiated) implements Action {}

    /**
     * The session left Established: forget the routes learned from it (or, with graceful restart,
     * keep them as stale: {@code why} says whether a NOTIFICATION ended it).
     */
    record Down(Reason why, String detail) implements Action {}

    /** Hand an UPDATE to the routing layer. */
    record Deliver(BgpMessage.Update update, List<String> notes, boolean treatAsWithdraw) implements Action {}

    /** The peer asked for our routes again (RFC 2918). */
    record Refresh(BgpMessage.RouteRefresh request) implements Action {}
}
