package io.tabby.bgp.session;

/** The six states of RFC 4271 section 8.2.2. */
public enum State {
    IDLE, CONNECT, ACTIVE, OPEN_SENT, OPEN_CONFIRM, ESTABLISHED
}
