package io.tabby.netlink;

import io.tabby.netlink.wire.Rt;

/** The rtnetlink multicast groups a {@link Subscription} can join (enum rtnetlink_groups). */
public enum EventGroup {
    LINK(Rt.RTNLGRP_LINK),
    NEIGH(Rt.RTNLGRP_NEIGH),
    IPV4_ADDR(Rt.RTNLGRP_IPV4_IFADDR),
    IPV6_ADDR(Rt.RTNLGRP_IPV6_IFADDR),
    IPV4_ROUTE(Rt.RTNLGRP_IPV4_ROUTE),
    IPV6_ROUTE(Rt.RTNLGRP_IPV6_ROUTE);

    private final int group;

    EventGroup(int group) {
        this.group = group;
    }

    public int group() {
        return group;
    }
}
