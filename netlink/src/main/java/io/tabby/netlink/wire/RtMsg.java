package io.tabby.netlink.wire;

import java.nio.ByteBuffer;

/**
 * {@code struct rtmsg} (RTM_*ROUTE): family, destination and source prefix lengths, TOS, the
 * table (low 8 bits; RTA_TABLE carries the full 32), protocol, scope, route type and flags.
 */
public record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope,
                    int type, int flags) implements RtBody {
    public static final int SIZE = 12;

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encode(ByteBuffer b) {
        b.put((byte) family);
        b.put((byte) dstLength);
        b.put((byte) srcLength);
        b.put((byte) tos);
        b.put((byte) table);
        b.put((byte) protocol);
        b.put((byte) scope);
        b.put((byte) type);
        b.putInt(flags);
    }

    static RtMsg decode(ByteBuffer b) {
        return new RtMsg(b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.get() & 0xff,
                b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.getInt());
    }
}
