package io.tabby.netlink.wire;

import java.nio.ByteBuffer;

/**
 * {@code struct ifinfomsg} (RTM_*LINK): family, pad, device type, index, flags, change mask.
 * {@code change} says which bits of {@code flags} a SETLINK/NEWLINK request changes.
 */
public record IfInfoMsg(int family, int deviceType, int index, int flags, int change) implements RtBody {
    public static final int SIZE = 16;

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encode(ByteBuffer b) {
        b.put((byte) family);
        b.put((byte) 0);
        b.putShort((short) deviceType);
        b.putInt(index);
        b.putInt(flags);
        b.putInt(change);
    }

    static IfInfoMsg decode(ByteBuffer b) {
        int family = b.get() & 0xff;
        b.get();
        return new IfInfoMsg(family, b.getShort() & 0xffff, b.getInt(), b.getInt(), b.getInt());
    }
}
