package io.tabby.netlink.wire;

/** One netlink message as received: an rtnetlink message, an ACK or error, the end of a dump, or other. */
public sealed interface Frame permits RtMessage, Ack, Done, Other {
    int seq();

    int flags();
}
