package io.tabby.netlink.wire;

import java.nio.ByteBuffer;

/**
 * {@code struct nlmsghdr}, 16 bytes in host byte order.
 *
 * <pre>
 * +----------------------------+--------------+---------------+
 * | nlmsg_len (u32)            | type (u16)   | flags (u16)   |
 * +----------------------------+--------------+---------------+
 * | nlmsg_seq (u32)            | nlmsg_pid (u32)              |
 * +----------------------------+------------------------------+
 * </pre>
 */
public record NlHeader(int length, int type, int flags, int seq, int pid) {
    public static final int SIZE = 16;

    public void encode(ByteBuffer b) {
        b.putInt(length);
        b.putShort((short) type);
        b.putShort((short) flags);
        b.putInt(seq);
        b.putInt(pid);
    }

    public static NlHeader decode(ByteBuffer b) {
        if (b.remaining() < SIZE) {
            throw new WireException("truncated nlmsghdr: " + b.remaining() + " bytes");
        }
        return new NlHeader(b.getInt(), b.getShort() & 0xffff, b.getShort() & 0xffff, b.getInt(), b.getInt());
    }
}
