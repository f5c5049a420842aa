package io.tabby.bgp.wire;

/**
 * Internal signal used while walking a message; {@link BgpCodec#decode} always catches it and
 * turns it into a {@link DecodeResult}, so it never leaves this package. Stack traces are off:
 * malformed input is an expected outcome, not a bug.
 */
final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    final NotificationCode code;
    final Bytes data;
    final ErrorHandling handling;

    Malformed(NotificationCode code, Bytes data, ErrorHandling handling, String reason) {
        super(reason, null, false, false);
        this.code = code;
        this.data = data;
        this.handling = handling;
    }

    static Malformed reset(NotificationCode code, Bytes data, String reason) {
        return new Malformed(code, data, ErrorHandling.SESSION_RESET, reason);
    }
}
