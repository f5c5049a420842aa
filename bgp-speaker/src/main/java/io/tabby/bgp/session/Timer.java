package io.tabby.bgp.session;

/** The session timers of RFC 4271 section 8 (10.1 for their defaults). */
public enum Timer {
    CONNECT_RETRY, HOLD, KEEPALIVE, DELAY_OPEN,
    /** IdleHoldTimer (RFC 4271 8.1.1): automatic restart after an error, with backoff. */
    IDLE_HOLD
}
