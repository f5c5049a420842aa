package io.tabby.netlink.wire;

/** A netlink message or attribute that does not parse: truncated, a bad length, an unknown layout. */
public final class WireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WireException(String message) {
        super(message);
    }
}
