package io.tabby.netlink;

/** RFC 2863 operational state of a link (IFLA_OPERSTATE), in kernel order. */
public enum OperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    public static OperState of(int value) {
        return value >= 0 && value < values().length ? values()[value] : UNKNOWN;
    }
}
