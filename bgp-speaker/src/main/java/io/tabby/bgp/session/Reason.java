package io.tabby.bgp.session;

/** Why a transition happened; logged with every state change. */
public enum Reason {
    START, ADMIN_STOP, CONNECT_RETRY_EXPIRED, TCP_CONNECTED, TCP_FAILED, DELAY_OPEN_EXPIRED, OPEN_RECEIVED,
    OPEN_REJECTED, KEEPALIVE_RECEIVED, KEEPALIVE_SENT, UPDATE_RECEIVED, ROUTE_REFRESH_RECEIVED, HOLD_TIMER_EXPIRED,
    NOTIFICATION_RECEIVED, DECODE_ERROR, FSM_ERROR, COLLISION,
    /** RFC 4724 4.2: the peer connected again while its old session still looked Established to us. */
    PEER_RESTARTED, IDLE_HOLD_EXPIRED, IGNORED
}
