package io.tabby.netlink;

/**
 * A route or address scope ({@code rtm_scope}, {@code ifa_scope}). An open set: the kernel
 * accepts any 0..255, so a record with the well-known values as constants.
 */
public record Scope(int value) {
    public static final Scope UNIVERSE = new Scope(0);
    public static final Scope SITE = new Scope(200);
    public static final Scope LINK = new Scope(253);
    public static final Scope HOST = new Scope(254);
    public static final Scope NOWHERE = new Scope(255);

    public Scope {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException("scope out of range 0..255: " + value);
        }
    }

    /** The name {@code ip} prints: global, site, link, host, nowhere, or the number. */
    public String label() {
        return switch (value) {
            case 0 -> "global";
            case 200 -> "site";
            case 253 -> "link";
            case 254 -> "host";
            case 255 -> "nowhere";
            default -> Integer.toString(value);
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
