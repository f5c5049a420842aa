package io.tabby.netlink.wire;

import java.nio.ByteBuffer;

/**
 * The fixed header that follows {@code nlmsghdr} in each rtnetlink family, before the
 * attributes. Which one a message carries follows from its type (RTM_*LINK, *ADDR, *ROUTE, *NEIGH).
 */
public sealed interface RtBody permits IfInfoMsg, IfAddrMsg, RtMsg, NdMsg {
    /** Bytes on the wire, already a multiple of 4. */
    int size();

    void encode(ByteBuffer b);

    /** Decodes the body a message of {@code type} carries. */
    static RtBody decode(int type, ByteBuffer b) {
        int size = sizeFor(type);
        if (b.remaining() < size) {
            throw new WireException(Rt.typeName(type) + " truncated: " + b.remaining() + " bytes, header needs " + size);
        }
        return switch (type) {
            case Rt.RTM_NEWLINK, Rt.RTM_DELLINK, Rt.RTM_GETLINK, Rt.RTM_SETLINK -> IfInfoMsg.decode(b);
            case Rt.RTM_NEWADDR, Rt.RTM_DELADDR, Rt.RTM_GETADDR -> IfAddrMsg.decode(b);
            case Rt.RTM_NEWROUTE, Rt.RTM_DELROUTE, Rt.RTM_GETROUTE -> RtMsg.decode(b);
            case Rt.RTM_NEWNEIGH, Rt.RTM_DELNEIGH, Rt.RTM_GETNEIGH -> NdMsg.decode(b);
            default -> throw new WireException("not an rtnetlink message we know: " + Rt.typeName(type));
        };
    }

    /** True for the message types {@link #decode} understands. */
    static boolean known(int type) {
        return (type >= Rt.RTM_NEWLINK && type <= Rt.RTM_GETADDR)
                || (type >= Rt.RTM_NEWROUTE && type <= Rt.RTM_GETROUTE)
                || (type >= Rt.RTM_NEWNEIGH && type <= Rt.RTM_GETNEIGH);
    }

    private static int sizeFor(int type) {
        if (type >= Rt.RTM_NEWLINK && type <= Rt.RTM_SETLINK) {
            return IfInfoMsg.SIZE;
        }
        if (type >= Rt.RTM_NEWADDR && type <= Rt.RTM_GETADDR) {
            return IfAddrMsg.SIZE;
        }
        return type >= Rt.RTM_NEWNEIGH ? NdMsg.SIZE : RtMsg.SIZE;
    }
}
