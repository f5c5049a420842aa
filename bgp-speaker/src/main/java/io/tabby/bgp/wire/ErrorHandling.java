package io.tabby.bgp.wire;

/**
 * What to do with a malformed UPDATE (RFC 7606 section 2), from least to most drastic. The
 * decoder reports the level; the session acts on it.
 */
public enum ErrorHandling {
    /** Drop the one bad attribute, keep the route (RFC 7606 2, "attribute discard"). */
    ATTRIBUTE_DISCARD,
    /** Withdraw every prefix the UPDATE carries (RFC 7606 2, "treat-as-withdraw"). */
    TREAT_AS_WITHDRAW,
    /** Send the NOTIFICATION and close the session (RFC 4271 section 6). */
    SESSION_RESET
}
