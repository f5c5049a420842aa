package io.tabby.netlink.wire;

import java.nio.ByteBuffer;

/** {@code struct ifaddrmsg} (RTM_*ADDR): family, prefix length, low 8 flag bits, scope, link index. */
public record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) implements RtBody {
    public static final int SIZE = 8;

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public void encode(ByteBuffer b) {
        b.put((byte) family);
        b.put((byte) prefixLength);
        b.put((byte) flags);
        b.put((byte) scope);
        b.putInt(index);
    }

    static IfAddrMsg decode(ByteBuffer b) {
        return new IfAddrMsg(b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.getInt());
    }
}
