package io.tabby.bgp.session;

import io.tabby.bgp.wire.BgpMessage;
import io.tabby.bgp.wire.DecodeResult;
import java.util.List;

/**
 * FSM inputs (RFC 4271 section 8.1, events 1-28, folded where the RFC distinguishes only
 * options we do not offer): administrative start and stop, timer expiry, TCP outcomes, and each
 * received message or decoding failure.
 */
public sealed interface Event {
    /** Events 1/3/4/5: manual or automatic start; passive or not comes from the config. */
    record Start() implements Event {}

    /**
     * Event 2 (ManualStop): administrative shutdown, with an RFC 9003 message for the peer; or, with
     * {@code notification} set, that NOTIFICATION instead (e.g. Cease 6/1 when a max-prefix limit is
     * crossed, RFC 4486) and {@code message} only for our log.
     */
    record Stop(String message, BgpMessage.Notification notification) implements Event {
        public Stop(String message) {
            this(message, null);
        }
    }

    /** Events 9, 10, 11, 12 and the IdleHold timer. */
    record TimerExpired(Timer timer) implements Event {}

    /** Events 16/17: an outgoing connection completed or an incoming one was accepted. */
    record TcpConnected(boolean outgoing) implements Event {}

    /** Event 18: the connection failed or was closed by the other side. */
    record TcpFailed(String why) implements Event {}

    /** Event 19 (and 20 when DelayOpen is running). */
    record OpenReceived(BgpMessage.Open open) implements Event {}

    /** Event 26. */
    record KeepaliveReceived() implements Event {}

    /** Event 27, with the RFC 7606 outcome of decoding. */
    record UpdateReceived(BgpMessage.Update update, List<String> notes, boolean treatAsWithdraw) implements Event {}

    /** ROUTE-REFRESH (RFC 2918 section 4, RFC 7313). */
    record RouteRefreshReceived(BgpMessage.RouteRefresh refresh) implements Event {}

    /** Events 24/25. */
    record NotificationReceived(BgpMessage.Notification notification) implements Event {}

    /** Events 21/22/28: a header, OPEN or UPDATE error that resets the session. */
    record DecodeFailed(DecodeResult.Failure failure) implements Event {}

    /** Event 23 (OpenCollisionDump): this connection lost collision resolution (section 6.8). */
    record CollisionDump() implements Event {}

    /**
     * A new TCP connection from the peer arrived while this connection is Established: with
     * graceful restart negotiated, RFC 4724 4.2 takes it as the peer having restarted.
     */
    record PeerReconnected() implements Event {}

    /** Turns a decoder output into the event it is. */
    static Event of(DecodeResult r) {
        return switch (r) {
            case DecodeResult.Failure f -> new DecodeFailed(f);
            case DecodeResult.Success s -> switch (s.message()) {
                case BgpMessage.Open o -> new OpenReceived(o);
                case BgpMessage.Keepalive k -> new KeepaliveReceived();
                case BgpMessage.Update u -> new UpdateReceived(u, s.notes(), s.treatAsWithdraw());
                case BgpMessage.Notification n -> new NotificationReceived(n);
                case BgpMessage.RouteRefresh rr -> new RouteRefreshReceived(rr);
            };
        };
    }
}
