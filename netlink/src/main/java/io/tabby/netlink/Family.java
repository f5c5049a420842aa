package io.tabby.netlink;

import io.tabby.netlink.wire.Rt;

/** An address family for requests and dump filters. {@link #ALL} dumps both. */
public enum Family {
    ALL(Rt.AF_UNSPEC),
    INET(Rt.AF_INET),
    INET6(Rt.AF_INET6);

    private final int value;

    Family(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static Family of(int value) {
        return switch (value) {
            case Rt.AF_INET -> INET;
            case Rt.AF_INET6 -> INET6;
            default -> ALL;
        };
    }
}
