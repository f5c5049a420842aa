package io.tabby.netlink;

/** {@code rtm_type}: what the kernel does with a packet that matches the route. */
public enum RouteType {
    UNSPEC, UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, XRESOLVE;

    /** The kernel's RTN_* number, which is the ordinal. */
    public int value() {
        return ordinal();
    }

    public static RouteType of(int value) {
        if (value < 0 || value >= values().length) {
            throw new IllegalArgumentException("unknown route type " + value);
        }
        return values()[value];
    }

    /** As {@code ip route} prints it: {@code unicast}, {@code blackhole}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
