package io.tabby.netlink.wire;

import java.nio.ByteBuffer;

/** {@code struct ndmsg} (RTM_*NEIGH): family, link index, NUD state, flags, type. */
public record NdMsg(int family, int index, int state, int flags, int type) implements RtBody {
    public static final int SIZE = 12;

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encode(ByteBuffer b) {
        b.put((byte) family);
        b.put((byte) 0);
        b.putShort((short) 0);
        b.putInt(index);
        b.putShort((short) state);
        b.put((byte) flags);
        b.put((byte) type);
    }

    static NdMsg decode(ByteBuffer b) {
        int family = b.get() & 0xff;
        b.get();
        b.getShort();
        return new NdMsg(family, b.getInt(), b.getShort() & 0xffff, b.get() & 0xff, b.get() & 0xff);
    }
}
