package io.tabby.bgp.session;

/**
 * The FSM's state for one connection: the RFC state, ConnectRetryCounter (also our consecutive
 * failure count for the restart backoff), whether an administrator stopped it (no automatic
 * restart), whether DelayOpen is running, and the negotiated parameters once OPENs agree.
 */
public record Session(State state, int connectRetryCounter, boolean adminDown, boolean delayOpenRunning,
        Negotiated negotiated) {

    public static final Session INITIAL = new Session(State.IDLE, 0, false, false, null);

    Session to(State s) {
        return new Session(s, connectRetryCounter, adminDown, delayOpenRunning, s == State.IDLE ? null : negotiated);
    }

    Session delayOpen(boolean running) {
        return new Session(state, connectRetryCounter, adminDown, running, negotiated);
    }

    Session negotiated(Negotiated n) {
        return new Session(state, connectRetryCounter, adminDown, delayOpenRunning, n);
    }
}
