package io.tabby.bgp.wire;

import java.util.List;

/**
 * The outcome of decoding one message, as a value: the decoder never throws through the
 * pipeline. The levels are RFC 7606's: a {@link Success} may still carry discarded attributes
 * ({@code notes}) or the treat-as-withdraw verdict; a {@link Failure} means send its
 * NOTIFICATION and reset the session (RFC 4271 section 6).
 */
public sealed interface DecodeResult {

    /**
     * A usable message. {@code notes} name each attribute discarded or ignored (for the log).
     * With {@code treatAsWithdraw} the UPDATE's attributes are not to be trusted and every prefix
     * it announces (classic NLRI and MP_REACH) must be handled as withdrawn (RFC 7606 section 2).
     */
    record Success(BgpMessage message, List<String> notes, boolean treatAsWithdraw) implements DecodeResult {
        public Success {
            notes = List.copyOf(notes);
        }

        public static Success clean(BgpMessage m) {
            return new Success(m, List.of(), false);
        }
    }

    /** A session-resetting error: the NOTIFICATION to send, and a human reason for the log. */
    record Failure(NotificationCode code, Bytes data, String reason) implements DecodeResult {
        public BgpMessage.Notification notification() {
            return BgpMessage.Notification.of(code, data);
        }
    }
}
