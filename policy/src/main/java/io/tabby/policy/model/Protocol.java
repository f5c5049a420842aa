package io.tabby.policy.model;

import java.util.Locale;

/** The three protocols NetworkPolicy defines; anything else is rejected, never guessed. */
public enum Protocol {
    TCP, UDP, SCTP;

    public static Protocol parse(String s) {
        for (Protocol p : values()) {
            if (p.name().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol \"" + s + "\" (expected TCP, UDP or SCTP)");
    }

    /** Lower-case spelling as nft and iptables write it. */
    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
