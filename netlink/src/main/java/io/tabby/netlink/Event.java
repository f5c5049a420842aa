package io.tabby.netlink;

/**
 * A change the kernel announced on a multicast group a {@link Subscription} joined.
 * {@code removed} is true for RTM_DEL* messages. {@link Overflow} means the socket's buffer
 * overflowed and events were lost: the consumer must resynchronise by listing.
 */
public sealed interface Event {
    record LinkEvent(boolean removed, Link link) implements Event {}

    record AddrEvent(boolean removed, Addr addr) implements Event {}

    record RouteEvent(boolean removed, Route route) implements Event {}

    record NeighEvent(boolean removed, Neigh neigh) implements Event {}

    record Overflow() implements Event {}
}
